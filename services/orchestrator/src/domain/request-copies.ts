import {
  canEditSentMessages,
  type Actor,
  type OutboundMessage,
  type RunEvent,
} from "@textops/contracts";
import { approvalRequests, openApprovalRequest } from "./create-run.js";
import type { PeopleContext } from "./decide-under-policy.js";
import { requestTexts, type RequestOutcome } from "./notices.js";
import type { DisplayNames } from "./policy/index.js";
import { underPolicy } from "./run-approval.js";
import type { Run } from "./stored-run.js";

/*
 * Every copy of a run's approval request follows the run: once it is
 * approved in part, approved, denied, expired or cancelled, each copy on a
 * channel that can edit a sent message gets an edit (`replaces` its key)
 * with its own text and the news under it. A copy on another channel (SMS,
 * dev) stays as it was sent.
 */

/**
 * The approval requests sent for a run, as they were sent (text, buttons,
 * key), made again by the functions that made them: in open mode the one
 * to whoever asked; under a policy one to each approver asked at first and
 * each one escalation added. A job that approves by itself asked nobody.
 */
export function sentRequests(run: Run, people: PeopleContext | undefined): OutboundMessage[] {
  const requested = run.events.find((e) => e.type === "ApprovalRequested");
  const asked = requested !== undefined && run.job.approval?.autoApprove !== true;
  if (!underPolicy(run)) return asked ? [openApprovalRequest(run)] : [];
  if (people === undefined) return [];
  const first = asked ? (requested.payload.approvers ?? []) : [];
  const added = run.events.flatMap((e) => (e.type === "ApprovalEscalated" ? e.payload.added : []));
  const requester = people.roster.person(run.requestedBy)?.name ?? run.requestedBy;
  return approvalRequests(run, [...new Set([...first, ...added])], requester, people);
}

/** How the run moved on: the key's tag, the line under the text, and whether the buttons stay. */
interface MovedOn {
  tag: string;
  line: string;
  keepsActions: boolean;
}

/**
 * The edits of every copy of the request, for `events` just decided on a
 * run awaiting approval; none when they do not move it on (a wrong code, an
 * escalation) or nobody was asked.
 */
export function requestUpdates(
  run: Run,
  events: readonly RunEvent[],
  people: PeopleContext | undefined,
): OutboundMessage[] {
  if (run.status !== "AwaitingApproval") return [];
  const moved = movedOn(events, underPolicy(run) ? people?.roster.names : undefined);
  if (moved === null) return [];
  return sentRequests(run, people)
    .filter((request) => canEditSentMessages(request.channelId))
    .map((request) => updated(request, moved));
}

function movedOn(events: readonly RunEvent[], names: DisplayNames | undefined): MovedOn | null {
  for (const e of events) {
    const outcome = outcomeOf(e, names);
    if (outcome !== null) {
      return { tag: outcome.tag, line: requestTexts.outcome(outcome), keepsActions: false };
    }
  }
  const given = events.filter((e) => e.type === "ApprovalGiven").at(-1);
  if (given === undefined) return null;
  const { person, count, required } = given.payload;
  const line = requestTexts.progress(deciderOf(`user:${person}`, names), count, required);
  return { tag: `progress:${count}`, line, keepsActions: true };
}

/**
 * How the wait for a run's approval ended, as the latest event that ended
 * it (or cancelled the run since) tells; null while nobody decided.
 */
export function requestOutcome(run: Run, people: PeopleContext | undefined): RequestOutcome | null {
  const names = underPolicy(run) ? people?.roster.names : undefined;
  for (const e of [...run.events].reverse()) {
    const outcome = outcomeOf(e, names);
    if (outcome !== null) return outcome;
  }
  return null;
}

/** The outcome an event stands for when it ends the wait for approval; null for any other. */
function outcomeOf(e: RunEvent, names: DisplayNames | undefined): RequestOutcome | null {
  const by = (actor: Actor) => deciderOf(actor, names);
  if (e.type === "RunApproved") {
    const ids = e.payload.approvedBy;
    const approvers = ids === undefined ? [by(e.actor)] : ids.map((id) => by(`user:${id}`));
    return { tag: "approved", by: approvers, at: e.at };
  }
  if (e.type === "RunDenied") return { tag: "denied", by: [by(e.actor)], at: e.at };
  if (e.type === "RunExpired") return { tag: "expired", by: [], at: e.at };
  if (e.type === "RunCancelled") return { tag: "cancelled", by: [by(e.actor)], at: e.at };
  return null;
}

/**
 * Who decided, as a copy names them: a person of the directory by name; in
 * open mode (no names) the address they wrote from; `policy` as itself.
 */
function deciderOf(actor: Actor, names: DisplayNames | undefined): string {
  if (!actor.startsWith("user:")) return actor;
  const id = actor.slice("user:".length);
  return names?.get(id) ?? id;
}

function updated(request: OutboundMessage, moved: MovedOn): OutboundMessage {
  const { actions, ...sent } = request;
  return {
    ...sent,
    body: `${request.body}\n${moved.line}`,
    idempotencyKey: `${request.idempotencyKey}:${moved.tag}`,
    replaces: request.idempotencyKey,
    ...(moved.keepsActions && actions !== undefined ? { actions } : {}),
  };
}
