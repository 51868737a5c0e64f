import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import type { AmqpProperties } from "./envelope.js";

/**
 * Publishes a delivery again, body and envelope properties unchanged, with
 * extra headers (and an expiration, if given), and waits for the broker's confirm.
 */
export async function republish(
  channel: ConfirmChannel,
  to: { exchange: string; routingKey: string },
  message: ConsumeMessage,
  extra: { headers: Record<string, unknown>; expiration?: string },
): Promise<void> {
  const properties = message.properties as AmqpProperties;
  await new Promise<void>((resolve, reject) => {
    channel.publish(
      to.exchange,
      to.routingKey,
      message.content,
      {
        contentType: properties.contentType ?? undefined,
        messageId: properties.messageId ?? undefined,
        type: properties.type ?? undefined,
        correlationId: properties.correlationId ?? undefined,
        timestamp: properties.timestamp ?? undefined,
        persistent: true,
        ...(extra.expiration === undefined ? {} : { expiration: extra.expiration }),
        headers: { ...(properties.headers ?? {}), ...extra.headers },
      },
      (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });
}
