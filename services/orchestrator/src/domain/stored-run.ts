import {
  ExecutionCancelRequested,
  JobDefinition,
  NonEmpty,
  OrchestratorReply,
  OutboundMessage,
  RunTimelineDocument,
  Timestamp,
  UnsignedDispatch,
} from "@textops/contracts";
import { z } from "zod";

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
  // Signed as it is published: the secret is not the database's to hold.
  z.object({ ...OutboxFields, type: z.literal("ExecutionDispatch"), payload: UnsignedDispatch }),
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

/**
 * One run as the orchestrator stores it: the read model's document (its
 * summary and timeline, which ingress reads through the contracts'
 * RUN_TIMELINES) and what only the orchestrator uses: the version, the
 * policy it was created under and what is still to be published.
 */
export const Run = RunTimelineDocument.extend({
  /** Bumped by every write; a write names the version it read. */
  version: z.number().int().min(1),
  /** The job's definition when the run was asked for: what executes, whatever the catalog says later. */
  job: JobDefinition,
  catalogVersion: NonEmpty,
  approvalExpiresAt: Timestamp,
  timeoutSeconds: z.number().int().min(1),
  retryOnWorkerLoss: z.boolean(),
  /** Attempts allowed for retryable failures, the first included. */
  maxAttempts: z.number().int().min(1),
  lastHeartbeatAt: Timestamp.nullable(),
  /** When it was approved: runs waiting for a slot are admitted in this order. */
  approvedAt: Timestamp.nullable(),
  /** Approved (status Dispatching) but not dispatched: its job already runs its limit at once. */
  waitingForSlot: z.boolean(),
  /**
   * A run asked for by a person whose job's policy escalates: when, and to
   * whom (resolved when it was asked for). Absent otherwise.
   */
  escalation: z.object({ at: Timestamp, to: z.array(NonEmpty) }).optional(),
  outbox: z.array(OutboxEntry),
  processed: z.array(ProcessedMessage),
});
export type Run = z.infer<typeof Run>;
