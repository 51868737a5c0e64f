import { z } from "zod";
import { JobKey, JobParameter, NonEmpty, RunId, Timestamp } from "./primitives.js";

const Attempt = z.number().int().min(1);

/** Orchestrator → workers: run this job, this attempt. */
export const ExecutionDispatch = z.object({
  runId: RunId,
  attempt: Attempt,
  jobKey: JobKey,
  parameters: z.array(JobParameter),
  timeoutSeconds: z.number().int().min(1),
  /** Whether the job may be run again if the worker running it is lost. */
  retryOnWorkerLoss: z.boolean(),
  dispatchedAt: Timestamp,
});
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
