import { z } from "zod";
import { ParameterValue } from "./jobs/parameter-value.js";
import { JobKey, NonEmpty, RunId, Timestamp } from "./primitives.js";
import { RunEvent } from "./run-event.js";
import { RunStatus } from "./run-status.js";

/**
 * A run as `GET /runs/:runId` shows it: what was asked, by whom, where it
 * stands. The fields are in the order they are shown.
 */
export const RunSummary = z.object({
  runId: RunId,
  jobKey: JobKey,
  status: RunStatus,
  createdAt: Timestamp,
  requestedByAddress: NonEmpty,
  /** The person of the directory who asked; absent when TextOps runs without a directory. */
  requestedBy: NonEmpty.optional(),
  /** Who was asked to approve it (those escalation adds are in its ApprovalEscalated events); absent when anyone may. */
  approvers: z.array(NonEmpty).optional(),
  channelId: NonEmpty,
  conversationId: NonEmpty,
  /** What the run executes with: the catalog's types, defaults applied. */
  parameters: z.array(ParameterValue),
  /** 0 until dispatched; each dispatch is a new attempt. */
  attempt: z.number().int().min(0),
  updatedAt: Timestamp,
});
export type RunSummary = z.infer<typeof RunSummary>;

/** The public view of one run (the body of `GET /runs/:runId`): its summary and its timeline. */
export const RunTimeline = z.object({
  run: RunSummary,
  /** In sequence order. */
  events: z.array(RunEvent),
});
export type RunTimeline = z.infer<typeof RunTimeline>;

/**
 * What a reader finds of a run's document in the read model: the summary's
 * fields and the events, at the document's top level. The writer keeps fields
 * of its own beside them; readers never see those.
 */
export const RunTimelineDocument = RunSummary.extend({ events: z.array(RunEvent) });
export type RunTimelineDocument = z.infer<typeof RunTimelineDocument>;

/**
 * Where run timelines are read: one document per run in `collection`, found by
 * `byRunId`. The orchestrator, the only writer of runs, keeps this contract;
 * `projection` reads exactly the public fields.
 */
export const RUN_TIMELINES = {
  collection: "runs",
  byRunId: (runId: RunId) => ({ _id: runId }),
  projection: {
    _id: 0,
    ...Object.fromEntries(Object.keys(RunTimelineDocument.shape).map((key) => [key, 1])),
  } as Readonly<Record<string, 0 | 1>>,
} as const;

/**
 * Reads a run's document (found through RUN_TIMELINES) as its public view:
 * the summary's fields alone, in order, and the events in sequence order.
 */
export const RunTimelineFromDocument = RunTimelineDocument.transform(
  ({ events, ...run }): RunTimeline => ({ run, events: [...events].sort((a, b) => a.seq - b.seq) }),
);
