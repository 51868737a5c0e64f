import { QUEUES } from "@textops/contracts";
import {
  PermanentError,
  startConsumer,
  type AmqpConnectionManager,
  type Consumer,
  type Handler,
} from "@textops/messaging";
import type { Logger } from "pino";
import { DEV_CHANNEL } from "../../domain/dev-inbound.js";
import type { DevMessageStore } from "../../ports.js";

/**
 * Delivers an outbound text to the dev channel: stores it (once per
 * messageId, so a redelivery has no second effect) and logs it.
 */
export function createDevOutboundHandler(
  store: DevMessageStore,
  clock: () => number,
): Handler<"OutboundMessage"> {
  return async ({ payload, envelope }, log) => {
    if (payload.channelId !== DEV_CHANNEL) {
      throw new PermanentError(
        `an outbound message for channel ${payload.channelId} on the dev queue`,
      );
    }
    const result = await store.record({
      messageId: envelope.messageId,
      channelId: payload.channelId,
      conversation: payload.conversation,
      body: payload.body,
      correlationId: payload.correlationId,
      idempotencyKey: payload.idempotencyKey,
      deliveredAt: new Date(clock()).toISOString(),
    });
    if (result === "duplicate") {
      log.info(
        { conversation: payload.conversation },
        "outbound message delivered before; skipped",
      );
      return;
    }
    log.info(
      { conversation: payload.conversation, idempotencyKey: payload.idempotencyKey },
      `OUTBOUND (dev) → ${payload.conversation}: ${payload.body}`,
    );
  };
}

export interface DevOutboundOptions {
  connection: AmqpConnectionManager;
  store: DevMessageStore;
  log: Logger;
  prefetch?: number;
  clock?: () => number;
}

/** Consumes outbound.dev; acks each message once it is stored. */
export function startDevOutboundConsumer(options: DevOutboundOptions): Promise<Consumer> {
  return startConsumer({
    connection: options.connection,
    queue: QUEUES.outbound(DEV_CHANNEL),
    prefetch: options.prefetch ?? 16,
    log: options.log,
    handlers: {
      OutboundMessage: createDevOutboundHandler(options.store, options.clock ?? Date.now),
    },
  });
}
