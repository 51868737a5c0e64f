import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import { ATTEMPT_HEADER, DELAY_HEADER, EXCHANGES, delayQueueFor } from "@textops/contracts";
import type { AmqpProperties } from "./envelope.js";
import { republish } from "./republish.js";

/** Where and how to publish a message so that it reaches `queue` after `delayMs`. */
export function delayedRoute(queue: string, delayMs: number) {
  return {
    route: { exchange: EXCHANGES.delay, routingKey: queue },
    expirationMs: Math.max(0, Math.round(delayMs)),
    headers: { [DELAY_HEADER]: String(delayQueueFor(delayMs)) },
  };
}

/** The delivery attempt a message is on: 1 unless a retry re-published it. */
export function attemptOf(message: ConsumeMessage): number {
  const raw = (message.properties as AmqpProperties).headers?.[ATTEMPT_HEADER];
  return typeof raw === "number" && Number.isInteger(raw) && raw >= 1 ? raw : 1;
}

/**
 * Publishes a copy of a delivery, unchanged apart from its attempt number, to
 * come back to `queue` after `delayMs`; resolves on the broker's confirm. The
 * caller acks the original afterwards, so a crash in between delivers twice
 * rather than never (consumers dedupe by messageId).
 */
export async function redeliverLater(
  channel: ConfirmChannel,
  queue: string,
  message: ConsumeMessage,
  delayMs: number,
): Promise<void> {
  const { route, expirationMs, headers } = delayedRoute(queue, delayMs);
  await republish(channel, route, message, {
    headers: { ...headers, [ATTEMPT_HEADER]: attemptOf(message) + 1 },
    expiration: String(expirationMs),
  });
}
