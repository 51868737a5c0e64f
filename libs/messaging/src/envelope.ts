import { randomUUID } from "node:crypto";
import type { ConsumeMessage, Options } from "amqplib";
import { CATALOG, ENVELOPE_HEADERS, MessageEnvelope, type MessageType } from "@textops/contracts";

export interface EnvelopeFields {
  correlationId: string;
  causationId?: string | undefined;
  messageId?: string | undefined;
  occurredAt?: string | undefined;
}

/** A fresh envelope for a message of this type; ids and time are made when not given. */
export function newEnvelope(type: MessageType, fields: EnvelopeFields): MessageEnvelope {
  return {
    messageId: fields.messageId ?? randomUUID(),
    type,
    schemaVersion: CATALOG[type].schemaVersion,
    occurredAt: fields.occurredAt ?? new Date().toISOString(),
    correlationId: fields.correlationId,
    ...(fields.causationId ? { causationId: fields.causationId } : {}),
  };
}

/** The AMQP properties that carry an envelope: persistent JSON with the ids in properties. */
export function publishOptions(
  envelope: MessageEnvelope,
  extra: Options.Publish = {},
): Options.Publish {
  return {
    ...extra,
    persistent: true,
    contentType: "application/json",
    messageId: envelope.messageId,
    type: envelope.type,
    correlationId: envelope.correlationId,
    timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
    headers: {
      ...(extra.headers as Record<string, unknown> | undefined),
      [ENVELOPE_HEADERS.schemaVersion]: envelope.schemaVersion,
      [ENVELOPE_HEADERS.occurredAt]: envelope.occurredAt,
      ...(envelope.causationId ? { [ENVELOPE_HEADERS.causationId]: envelope.causationId } : {}),
    },
  };
}

/** Reads the envelope back from a delivery's properties, validating it. */
export function readEnvelope(message: ConsumeMessage) {
  const properties = message.properties as AmqpProperties;
  const headers = properties.headers ?? {};
  return MessageEnvelope.safeParse({
    messageId: properties.messageId ?? undefined,
    type: properties.type ?? undefined,
    schemaVersion: headers[ENVELOPE_HEADERS.schemaVersion],
    occurredAt: headers[ENVELOPE_HEADERS.occurredAt],
    correlationId: properties.correlationId ?? undefined,
    causationId: headers[ENVELOPE_HEADERS.causationId] ?? undefined,
  });
}

/** amqplib types most properties as `any`; this is what they hold. */
export interface AmqpProperties {
  contentType?: string | null;
  messageId?: string | null;
  type?: string | null;
  correlationId?: string | null;
  replyTo?: string | null;
  timestamp?: number | null;
  headers?: Record<string, unknown> | null;
}
