import { Router, type Request, type RequestHandler } from "express";
import { devConversationId } from "../../domain/dev-inbound.js";
import { maySeeConversation } from "../../domain/read-access.js";
import type { DevConversationReader } from "../../ports.js";
import { readerOf } from "./bearer-auth.js";

/**
 * `GET /dev/conversations/:conversation/messages`: what TextOps sent to a
 * dev conversation, in delivery order. `dev:user1` and `user1` name the same
 * one. `auth` finds the reader; a conversation they may not see is a 404.
 */
export function devConversationsRoute(
  messages: DevConversationReader,
  auth: RequestHandler,
): Router {
  return Router().get(
    "/dev/conversations/:conversation/messages",
    auth,
    async (req: Request<{ conversation: string }>, res) => {
      const conversation = devConversationId(req.params.conversation);
      if (!maySeeConversation(readerOf(res), conversation)) {
        res.status(404).json({ error: "conversation not found" });
        return;
      }
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
    },
  );
}
