import { Router } from "express";
import { devConversationId } from "../../domain/dev-inbound.js";
import type { DevConversationReader } from "../../ports.js";

/**
 * `GET /dev/conversations/:conversation/messages`: what TextOps sent to a
 * dev conversation, in delivery order. `dev:user1` and `user1` name the same one.
 */
export function devConversationsRoute(messages: DevConversationReader): Router {
  return Router().get("/dev/conversations/:conversation/messages", async (req, res) => {
    const conversation = devConversationId(req.params.conversation);
    const delivered = await messages.list(conversation);
    res.json({
      conversation,
      messages: delivered.map((m) => ({
        body: m.body,
        correlationId: m.correlationId,
        idempotencyKey: m.idempotencyKey,
        channelId: m.channelId,
        conversation: m.conversation,
        deliveredAt: m.deliveredAt,
      })),
    });
  });
}
