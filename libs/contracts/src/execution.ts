import { z } from "zod";
import { JobDefinition } from "./jobs/job-definition.js";
import { ParameterValue } from "./jobs/parameter-value.js";
import { Actor, JobKey, NonEmpty, RunId, Timestamp } from "./primitives.js";

const Attempt = z.number().int().min(1);

/** A dispatch's HMAC-SHA256 under DISPATCH_SECRET, hex (see dispatch-signature.ts). */
export const DispatchSignature = z.string().regex(/^[0-9a-f]{64}$/, "not a hex HMAC-SHA256");

/**
 * Orchestrator → the workers of the job's pool: run this job, this attempt,
 * exactly as defined when the run was asked for, with exactly these values.
 */
export const UnsignedDispatch = z.object({
  runId: RunId,
  attempt: Attempt,
  jobKey: JobKey,
  /** The job's definition as the run recorded it: workers hold no catalog. */
  job: JobDefinition,
  /** The catalog's version (a hash of its content) the definition came from. */
  catalogVersion: NonEmpty,
  /** The values the approval request showed, defaults applied. */
  parameters: z.array(ParameterValue),
  timeoutSeconds: z.number().int().min(1),
  /** Whether the job may be run again if the worker running it is lost. */
  retryOnWorkerLoss: z.boolean(),
  /** Who asked for the run and who approved it, as their timeline actors. */
  requestedBy: Actor,
  approvedBy: z.array(Actor),
  dispatchedAt: Timestamp,
});
export type UnsignedDispatch = z.infer<typeof UnsignedDispatch>;

/** A dispatch as published: workers run only what the orchestrator signed. */
export const ExecutionDispatch = UnsignedDispatch.extend({ signature: DispatchSignature });
export type ExecutionDispatch = z.infer<typeof ExecutionDispatch>;

/** Orchestrator → every worker: stop this run's attempt if you are running it. */
export const ExecutionCancelRequested = z.object({
  runId: RunId,
  attempt: Attempt,
});
export type ExecutionCancelRequested = z.infer<typeof ExecutionCancelRequested>;

export const ExecutionStarted = z.object({
  runId: RunId,
  attempt: Attempt,
  workerId: NonEmpty,
  startedAt: Timestamp,
});
export type ExecutionStarted = z.infer<typeof ExecutionStarted>;

export const ExecutionHeartbeat = z.object({
  runId: RunId,
  attempt: Attempt,
  workerId: NonEmpty,
  at: Timestamp,
});
export type ExecutionHeartbeat = z.infer<typeof ExecutionHeartbeat>;

/** Lost: the dispatch came back after the worker holding it died, so this attempt's fate is unknown. */
export const ExecutionOutcome = z.enum(["Succeeded", "Failed", "Lost"]);
export type ExecutionOutcome = z.infer<typeof ExecutionOutcome>;

export const ExecutionCompleted = z.object({
  runId: RunId,
  attempt: Attempt,
  workerId: NonEmpty,
  outcome: ExecutionOutcome,
  summary: z.string().max(2000),
  durationMs: z.number().min(0),
  completedAt: Timestamp,
  /** A failure the job says may pass (a busy service, a timeout upstream): worth another attempt. */
  retryable: z.boolean().optional(),
});
export type ExecutionCompleted = z.infer<typeof ExecutionCompleted>;
