import type { Actor, OutboundMessage, RunEvent } from "@textops/contracts";
import { approvalRequests, openApprovalRequest } from "./create-run.js";
import type { PeopleContext } from "./decide-under-policy.js";
import { requestTexts } from "./notices.js";
import type { DisplayNames } from "./policy/index.js";
import { underPolicy } from "./run-approval.js";
import type { Run } from "./stored-run.js";

/*
 * Every copy of a run's approval request follows the run: once it is
 * approved in part, approved, denied, expired or cancelled, each copy gets
 * an edit (`replaces` its key) with its own text and the news under it.
 * Channels that can edit a sent message do; the others send nothing.
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
  return sentRequests(run, people).map((request) => updated(request, moved));
}

function movedOn(events: readonly RunEvent[], names: DisplayNames | undefined): MovedOn | null {
  const by = (actor: Actor) => deciderOf(actor, names);
  for (const e of events) {
    const decided = decidedLine(e, by);
    if (decided !== null) return { ...decided, keepsActions: false };
  }
  const given = events.filter((e) => e.type === "ApprovalGiven").at(-1);
  if (given === undefined) return null;
  const { person, count, required } = given.payload;
  const line = requestTexts.progress(by(`user:${person}`), count, required);
  return { tag: `progress:${count}`, line, keepsActions: true };
}

/** The tag and line of an event that ends the wait for approval; null for any other. */
function decidedLine(
  e: RunEvent,
  by: (actor: Actor) => string,
): Omit<MovedOn, "keepsActions"> | null {
  if (e.type === "RunApproved") {
    const ids = e.payload.approvedBy;
    const approvers = ids === undefined ? [by(e.actor)] : ids.map((id) => by(`user:${id}`));
    return { tag: "approved", line: requestTexts.approved(approvers, e.at) };
  }
  if (e.type === "RunDenied")
    return { tag: "denied", line: requestTexts.denied(by(e.actor), e.at) };
  if (e.type === "RunExpired") return { tag: "expired", line: requestTexts.expired(e.at) };
  if (e.type === "RunCancelled") {
    return { tag: "cancelled", line: requestTexts.cancelled(by(e.actor), e.at) };
  }
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
