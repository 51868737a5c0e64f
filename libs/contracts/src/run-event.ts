import { z } from "zod";
import { ParameterValue } from "./jobs/parameter-value.js";
import { Actor, JobKey, NonEmpty, RunId, Timestamp } from "./primitives.js";

const Attempt = z.number().int().min(1);

function event<T extends string, P extends z.ZodType>(type: T, payload: P) {
  return z.object({
    runId: RunId,
    seq: z.number().int().min(1),
    type: z.literal(type),
    at: Timestamp,
    actor: Actor,
    payload,
  });
}

/** Which notice an event about a delivery is about: where it went, by its idempotency key. */
const NoticeCopy = { channelId: NonEmpty, conversation: NonEmpty, idempotencyKey: NonEmpty };

export const CallbackKind = z.enum(["started", "heartbeat", "completed"]);
export type CallbackKind = z.infer<typeof CallbackKind>;

/** One entry of a run's append-only timeline. */
export const RunEvent = z.discriminatedUnion("type", [
  /** The job as the catalog of `catalogVersion` defined it, and the values it will run with. */
  event(
    "RunCreated",
    z.object({
      jobKey: JobKey,
      catalogVersion: NonEmpty,
      parameters: z.array(ParameterValue),
      /** The sender's address, when the actor is a person of the directory. */
      address: NonEmpty.optional(),
    }),
  ),
  /** Who may approve, and how many of them must (absent without a directory: anyone, one). */
  event(
    "ApprovalRequested",
    z.object({
      policy: NonEmpty,
      expiresAt: Timestamp,
      approvers: z.array(NonEmpty).optional(),
      required: z.number().int().min(1).optional(),
    }),
  ),
  /** One person's approval of a run that needs several; the last one is followed by RunApproved. */
  event(
    "ApprovalGiven",
    z.object({
      person: NonEmpty,
      address: NonEmpty,
      count: z.number().int().min(1),
      required: z.number().int().min(1),
    }),
  ),
  /** A confirm code that did not match; counted, so guessing ends. */
  event(
    "ConfirmCodeRefused",
    z.object({ person: NonEmpty, address: NonEmpty, wrongCodes: z.number().int().min(1) }),
  ),
  /** Nobody decided in time: `added` may now approve too and were told. */
  event("ApprovalEscalated", z.object({ added: z.array(NonEmpty) })),
  /** `approvedBy`: the people whose approvals made it, in order (absent without a directory). */
  event("RunApproved", z.object({ approvedBy: z.array(NonEmpty).optional() })),
  /** Approved while its job already runs `limit` at once: it starts when a slot frees. */
  event("WaitingForSlot", z.object({ limit: z.number().int().min(1) })),
  event("RunDenied", z.object({ address: NonEmpty.optional() })),
  event("ExecutionDispatched", z.object({ attempt: Attempt })),
  event("ExecutionStarted", z.object({ attempt: Attempt, workerId: NonEmpty })),
  /** No worker of `pool` took this attempt's dispatch in `waitedSeconds`; the requester was told. */
  event(
    "DispatchUnclaimed",
    z.object({ attempt: Attempt, pool: NonEmpty, waitedSeconds: z.number().int().min(0) }),
  ),
  event(
    "ExecutionSucceeded",
    z.object({ attempt: Attempt, summary: z.string(), durationMs: z.number().min(0) }),
  ),
  event(
    "ExecutionFailed",
    z.object({ attempt: Attempt, summary: z.string(), durationMs: z.number().min(0) }),
  ),
  /** A retryable failure: the next attempt is dispatched after `delayMs`. */
  event("RetryScheduled", z.object({ attempt: Attempt, delayMs: z.number().int().min(0) })),
  /** The worker running this attempt was lost; `reportedBy` found its dispatch back in the queue. */
  event("ExecutionLost", z.object({ attempt: Attempt, reportedBy: NonEmpty })),
  event("RunCancelled", z.object({ previousStatus: NonEmpty, address: NonEmpty.optional() })),
  event("RunExpired", z.object({ expiresAt: Timestamp })),
  event("RunTimedOut", z.object({ attempt: Attempt, lastHeartbeatAt: Timestamp })),
  /** A worker callback that arrived for a run in a state where it means nothing. */
  event("CallbackIgnored", z.object({ kind: CallbackKind, attempt: Attempt, reason: z.string() })),
  /** A notice about the run reached its conversation, as its channel reported (a DeliveryReport). */
  event(
    "NoticeDelivered",
    z.object({
      ...NoticeCopy,
      providerMessageIds: z.array(NonEmpty).max(20).optional(),
    }),
  ),
  /** An earlier notice about the run was edited in place (it `replaces` that notice). */
  event("NoticeEdited", z.object(NoticeCopy)),
  /** A notice about the run could not be delivered (refused, opted out, given up on). */
  event("NoticeNotDelivered", z.object({ ...NoticeCopy, reason: z.string().max(500) })),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent["type"];

/**
 * The events that note what became of a notice. They are no state
 * transitions: they are appended to a run in any status, terminal ones
 * included, and say nothing of where the run stands.
 */
export const NOTICE_EVENT_TYPES = [
  "NoticeDelivered",
  "NoticeEdited",
  "NoticeNotDelivered",
] as const;
export type NoticeEventType = (typeof NOTICE_EVENT_TYPES)[number];
export type NoticeEvent = Extract<RunEvent, { type: NoticeEventType }>;

const noticeTypes: ReadonlySet<RunEventType> = new Set(NOTICE_EVENT_TYPES);

export const isNoticeEvent = (event: RunEvent): event is NoticeEvent => noticeTypes.has(event.type);
