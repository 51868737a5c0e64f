import type { Actor, OutboundMessage } from "@textops/contracts";
import { approvalRequests } from "./create-run.js";
import { ChangeBuilder, nothing, type Decision } from "./decision.js";
import { notice, runDestination, texts, type Destination } from "./notices.js";
import { peopleTexts } from "./people-notices.js";
import { decideDenial, policyTexts, refusalText } from "./policy/index.js";
import type { Person } from "./requester.js";
import type { Roster } from "./roster.js";
import {
  approvalOutcome,
  approvalStateOfRun,
  currentApprovers,
  escalated,
  underPolicy,
  wrongCodes,
} from "./run-approval.js";
import type { SlotOutcome } from "./slot-holders.js";
import type { Run } from "./stored-run.js";

/*
 * What people's commands do to a run asked for by a person of the directory:
 * its job's policy says who may approve, how many must, whether the requester
 * may, and whether a confirm code is needed. Pure, like decide.ts.
 */

/** A person deciding, and the address they wrote from. */
export interface Approver extends Person {
  address: string;
}

/** The directory as decisions need it. */
export interface PeopleContext {
  roster: Roster;
  /** The confirm code of `approverId` for `run` (see policy/confirm-code.ts). */
  codeFor: (run: Run, approverId: string) => string;
}

type PolicyRun = Run & { requestedBy: string };

interface ApproveAsPerson {
  actor: Actor;
  replyTo: Destination;
  slot?: SlotOutcome;
  by: Approver;
  code?: string | null;
  expectedCode?: string | null;
}

/** The outcome of a `startApproved` in decide.ts, given how the approval completed. */
type StartApproved = (
  change: ChangeBuilder,
  approvers: Actor[],
  tell: { to: Destination; also: OutboundMessage[] },
) => Decision;

export function approveUnderPolicy(
  run: PolicyRun,
  input: ApproveAsPerson,
  at: string,
  commandId: string,
  people: PeopleContext,
  start: StartApproved,
): Decision {
  const { by, replyTo: to } = input;
  const reply = (body: string, kind: string) =>
    notice(to, body, run.runId, `${kind}:${run.runId}:${commandId}`);
  const outcome = approvalOutcome(run, by, input.code ?? null, input.expectedCode ?? null);
  switch (outcome.kind) {
    case "locked":
      return nothing([reply(peopleTexts.tooManyWrongCodes(run.runId), "code-locked")]);
    case "already-approved":
      return nothing([reply(policyTexts.alreadyApproved(run.runId), "already-approved")]);
    case "refused": {
      const body = refusalText(outcome.reason, run.runId);
      if (outcome.reason !== "code-wrong") return nothing([reply(body, "refused-approval")]);
      const counted = {
        person: by.id,
        address: by.address,
        wrongCodes: wrongCodes(run, by.id) + 1,
      };
      return new ChangeBuilder(run, at)
        .event("ConfirmCodeRefused", input.actor, counted)
        .decide([reply(body, "code-wrong")]);
    }
    case "approved": {
      const { count, required } = outcome;
      const change = new ChangeBuilder(run, at).event("ApprovalGiven", input.actor, {
        person: by.id,
        address: by.address,
        count,
        required,
      });
      const names = people.roster.names;
      const requester = runDestination(run);
      if (!outcome.complete) {
        const body = peopleTexts.progress(run, by.id, count, required, names);
        const key = `approval-given:${run.runId}:${by.id}`;
        return change.decide(toBoth(to, requester, body, run.runId, key));
      }
      const approvedBy = [...approvalStateOfRun(run).approvals.map((a) => a.personId), by.id];
      change.event("RunApproved", input.actor, { approvedBy });
      const told = peopleTexts.approvedBy(run, approvedBy, names);
      const also = sameConversation(to, requester)
        ? []
        : [notice(requester, told, run.runId, `approved-by:${run.runId}`)];
      const actors = approvedBy.map((id): Actor => `user:${id}`);
      return start(change, actors, { to, also });
    }
  }
}

interface DenyAsPerson {
  actor: Actor;
  replyTo: Destination;
  by: Approver;
}

export function denyUnderPolicy(
  run: PolicyRun,
  input: DenyAsPerson,
  at: string,
  commandId: string,
  people: PeopleContext,
): Decision {
  const { by, replyTo: to } = input;
  const decision = decideDenial(approvalStateOfRun(run), by);
  if (decision.kind === "refused") {
    const body =
      by.id === run.requestedBy
        ? policyTexts.withdrawInstead(run.runId)
        : refusalText(decision.reason, run.runId);
    return nothing([notice(to, body, run.runId, `refused-denial:${run.runId}:${commandId}`)]);
  }
  const requester = runDestination(run);
  const told = peopleTexts.deniedBy(run, by.id, people.roster.names);
  const also = sameConversation(to, requester)
    ? []
    : [notice(requester, told, run.runId, `denied-by:${run.runId}`)];
  return new ChangeBuilder(run, at)
    .event("RunDenied", input.actor, { address: by.address })
    .set({ status: "Denied" })
    .decide([notice(to, texts.denied(run), run.runId, `denied:${run.runId}`), ...also]);
}

/**
 * Whoever asked, an approver, or an admin takes part in a run asked for by a
 * person: they may see it and cancel it; to anyone else it does not exist.
 */
export function takesPart(run: PolicyRun, person: Person): boolean {
  return (
    person.id === run.requestedBy ||
    currentApprovers(run).includes(person.id) ||
    person.roles.includes("admin")
  );
}

/**
 * Once its escalation time has come, a run still awaiting approval goes to
 * the people its policy escalates to as well, each with their own request;
 * the requester is told. Done once: the event marks it.
 */
export function escalate(run: Run, at: string, now: number, people: PeopleContext | undefined) {
  const due = run.escalation;
  if (
    run.status !== "AwaitingApproval" ||
    !underPolicy(run) ||
    due === undefined ||
    escalated(run) ||
    Date.parse(due.at) > now
  ) {
    return nothing();
  }
  const already = currentApprovers(run);
  const added = due.to.filter((id) => !already.includes(id));
  const change = new ChangeBuilder(run, at).event("ApprovalEscalated", "scheduler", { added });
  if (people === undefined || added.length === 0) return change.decide();
  const requesterName = people.roster.person(run.requestedBy)?.name ?? run.requestedBy;
  const body = peopleTexts.escalated(run, added, people.roster.names);
  return change.decide([
    notice(runDestination(run), body, run.runId, `escalated:${run.runId}`),
    ...approvalRequests(run, added, requesterName, people),
  ]);
}

/** The same text to every current approver of the run, each in their own conversation. */
export function toEachApprover(
  run: Run,
  people: PeopleContext,
  body: string,
  key: string,
): OutboundMessage[] {
  const requester = runDestination(run);
  return currentApprovers(run).flatMap((id) => {
    const to = people.roster.person(id)?.notify;
    if (to === undefined || sameConversation(to, requester)) return [];
    return [notice(to, body, run.runId, `${key}:${id}`)];
  });
}

const sameConversation = (a: Destination, b: Destination) =>
  a.channelId === b.channelId && a.conversation === b.conversation;

function toBoth(
  to: Destination,
  requester: Destination,
  body: string,
  runId: string,
  key: string,
): OutboundMessage[] {
  const reply = notice(to, body, runId, key);
  return sameConversation(to, requester)
    ? [reply]
    : [reply, notice(requester, body, runId, `${key}:requester`)];
}
