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
  /** How often and how far apart a delivery is tried before it is dead-lettered. */
  retry?: DeliveryRetry;
}

export interface DeliveryRetry {
  maxAttempts: number;
  delayMs: (attempt: number) => number;
}

/** About 1 s, 2 s, 4 s … 32 s apart, less up to a quarter so retries spread out: 2 minutes in all. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = {
  maxAttempts: 8,
  delayMs: (attempt) =>
    Math.round(Math.min(32_000, 1000 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 4)),
};

/**
 * Consumes outbound.dev; acks each message once it is stored. A delivery that
 * fails is tried again later through the delay queues, and dead-lettered to
 * outbound.dev.dead when its attempts are used up.
 */
export function startDevOutboundConsumer(options: DevOutboundOptions): Promise<Consumer> {
  return startConsumer({
    connection: options.connection,
    queue: QUEUES.outbound(DEV_CHANNEL),
    prefetch: options.prefetch ?? 16,
    log: options.log,
    delayedRetry: options.retry ?? DEFAULT_DELIVERY_RETRY,
    handlers: {
      OutboundMessage: createDevOutboundHandler(options.store, options.clock ?? Date.now),
    },
  });
}
