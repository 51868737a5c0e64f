import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import { ENVELOPE_HEADERS, EXCHANGES } from "@textops/contracts";
import { republish } from "./republish.js";

const MAX_REASON_LENGTH = 1000;

/**
 * Re-publishes a delivery, unchanged, to the dead-letter queue of the queue it
 * came from, with the reason in a header, and waits for the broker's confirm.
 * (A plain reject would dead-letter too, but could not say why.)
 */
export async function deadLetter(
  channel: ConfirmChannel,
  queue: string,
  message: ConsumeMessage,
  reason: string,
): Promise<void> {
  await republish(channel, { exchange: EXCHANGES.deadLetter, routingKey: queue }, message, {
    headers: {
      [ENVELOPE_HEADERS.deadLetterReason]: reason.slice(0, MAX_REASON_LENGTH),
      [ENVELOPE_HEADERS.deadLetterQueue]: queue,
    },
  });
}
