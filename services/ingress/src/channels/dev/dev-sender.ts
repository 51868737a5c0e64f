import { DEV_CHANNEL } from "../../domain/dev-inbound.js";
import type { DevMessageStore } from "../../ports.js";
import type { ChannelSender } from "../channel-sender.js";

/**
 * The dev channel: a message is "sent" by storing it where GET
 * /dev/conversations/… lists it, once per idempotency key (the mailbox is
 * unique by it).
 */
export function createDevSender(store: DevMessageStore, clock: () => number): ChannelSender {
  return {
    channelId: DEV_CHANNEL,
    local: true,
    async send(message) {
      await store.record({
        messageId: message.idempotencyKey,
        channelId: message.channelId,
        conversation: message.conversation,
        body: message.body,
        correlationId: message.correlationId,
        idempotencyKey: message.idempotencyKey,
        deliveredAt: new Date(clock()).toISOString(),
      });
      return { providerMessageIds: [message.idempotencyKey] };
    },
  };
}
