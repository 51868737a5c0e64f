import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import { ENVELOPE_HEADERS, EXCHANGES } from "@textops/contracts";
import type { AmqpProperties } from "./envelope.js";

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
  const properties = message.properties as AmqpProperties;
  const headers = {
    ...(properties.headers ?? {}),
    [ENVELOPE_HEADERS.deadLetterReason]: reason.slice(0, MAX_REASON_LENGTH),
    [ENVELOPE_HEADERS.deadLetterQueue]: queue,
  };
  await new Promise<void>((resolve, reject) => {
    channel.publish(
      EXCHANGES.deadLetter,
      queue,
      message.content,
      {
        contentType: properties.contentType ?? undefined,
        messageId: properties.messageId ?? undefined,
        type: properties.type ?? undefined,
        correlationId: properties.correlationId ?? undefined,
        timestamp: properties.timestamp ?? undefined,
        persistent: true,
        headers,
      },
      (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });
}
