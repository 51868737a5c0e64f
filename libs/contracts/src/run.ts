import { z } from "zod";
import { OrchestratorReply } from "./orchestrator-reply.js";
import { OutboundMessage } from "./outbound.js";
import { ExecutionCancelRequested, ExecutionDispatch } from "./execution.js";
import { JobKey, JobParameter, NonEmpty, RunId, Timestamp } from "./primitives.js";
import { RunEvent } from "./run-event.js";
import { RunStatus } from "./run-status.js";

const OutboxFields = {
  messageId: NonEmpty,
  correlationId: NonEmpty,
  causationId: z.string().optional(),
  occurredAt: Timestamp,
  /** Held back this long (through a retry queue) before it reaches its exchange. */
  delayMs: z.number().int().min(0).optional(),
};

/** A message written with the state change that caused it, published after the write. */
export const OutboxEntry = z.discriminatedUnion("type", [
  z.object({ ...OutboxFields, type: z.literal("OutboundMessage"), payload: OutboundMessage }),
  z.object({ ...OutboxFields, type: z.literal("ExecutionDispatch"), payload: ExecutionDispatch }),
  z.object({
    ...OutboxFields,
    type: z.literal("ExecutionCancelRequested"),
    payload: ExecutionCancelRequested,
  }),
]);
export type OutboxEntry = z.infer<typeof OutboxEntry>;

/**
 * A message whose effect this run already holds, with the answer that was
 * given, so a redelivery after a crash answers the same without acting twice.
 */
export const ProcessedMessage = z.object({
  key: NonEmpty,
  reply: OrchestratorReply,
});
export type ProcessedMessage = z.infer<typeof ProcessedMessage>;

/** One run: its current state, its timeline and what is still to be published. */
export const Run = z.object({
  runId: RunId,
  jobKey: JobKey,
  parameters: z.array(JobParameter),
  status: RunStatus,
  /** Bumped by every write; a write names the version it read. */
  version: z.number().int().min(1),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  requestedByAddress: NonEmpty,
  channelId: NonEmpty,
  conversationId: NonEmpty,
  /** 0 until dispatched; each dispatch is a new attempt. */
  attempt: z.number().int().min(0),
  approvalExpiresAt: Timestamp,
  timeoutSeconds: z.number().int().min(1),
  retryOnWorkerLoss: z.boolean(),
  /** Attempts allowed for retryable failures, the first included. */
  maxAttempts: z.number().int().min(1),
  lastHeartbeatAt: Timestamp.nullable(),
  events: z.array(RunEvent),
  outbox: z.array(OutboxEntry),
  processed: z.array(ProcessedMessage),
});
export type Run = z.infer<typeof Run>;
