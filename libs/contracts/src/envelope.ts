import { z } from "zod";
import { NonEmpty, Timestamp } from "./primitives.js";

export const MessageType = z.enum([
  "InboundMessage",
  "OutboundMessage",
  "ExecutionDispatch",
  "ExecutionCancelRequested",
  "ExecutionStarted",
  "ExecutionHeartbeat",
  "ExecutionCompleted",
  "DeliveryReport",
  "OrchestratorReply",
]);
export type MessageType = z.infer<typeof MessageType>;

/**
 * What every message carries besides its payload. On the wire it travels in
 * AMQP properties (messageId, type, correlationId) and headers (the rest).
 */
export const MessageEnvelope = z.object({
  messageId: NonEmpty,
  type: MessageType,
  schemaVersion: z.number().int().min(1),
  occurredAt: Timestamp,
  correlationId: NonEmpty,
  causationId: NonEmpty.optional(),
});
export type MessageEnvelope = z.infer<typeof MessageEnvelope>;

/** Header names for the envelope fields that have no AMQP property of their own. */
export const ENVELOPE_HEADERS = {
  schemaVersion: "x-schema-version",
  occurredAt: "x-occurred-at",
  causationId: "x-causation-id",
  deadLetterReason: "x-textops-dead-letter-reason",
  deadLetterQueue: "x-textops-dead-letter-queue",
} as const;
