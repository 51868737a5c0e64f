import type { JobDefinition, OutboundMessage, ParameterValue } from "@textops/contracts";
import { approvalActions, notice, runDestination, texts } from "./notices.js";
import { peopleTexts } from "./people-notices.js";
import { expiryOf } from "./policy/index.js";
import type { Roster } from "./roster.js";
import type { Run } from "./stored-run.js";
import { actorOf, addressOf, conversationOf, destinationOf, type Requester } from "./requester.js";

/** What a run asked for by a person of the directory is created with (closed mode). */
export interface RunPolicyInput {
  /** Who may approve, resolved from the job's policy (resolveApprovers). */
  approvers: string[];
  /** When to escalate and to whom, if the job's policy says so and it comes before expiry. */
  escalation: { at: number; to: string[] } | null;
  roster: Roster;
  /** The confirm code an approver must repeat, for jobs that ask for one. */
  codeFor: (run: Run, approverId: string) => string;
}

export interface CreateRunInput {
  runId: string;
  jobKey: string;
  /** The job's definition in the catalog of `catalogVersion`, now. */
  job: JobDefinition;
  catalogVersion: string;
  /** Checked against the definition, defaults applied. */
  parameters: ParameterValue[];
  requester: Requester;
  approvalTtlSeconds: number;
  /** Epoch milliseconds: the clock value the decision is made at. */
  now: number;
  /** Absent in open mode: anyone may approve, and the request goes to the requester. */
  policy?: RunPolicyInput;
}

/** A new run, already awaiting approval, and the texts asking for it. */
export function createRun(input: CreateRunInput): { run: Run; outbound: OutboundMessage[] } {
  const at = new Date(input.now).toISOString();
  const expiresAt = new Date(
    expiryOf(input.job.approval, input.approvalTtlSeconds, input.now),
  ).toISOString();
  const { runId, requester, policy } = input;
  const person = requester.person;
  const closed = policy !== undefined && person !== undefined;
  const required = input.job.approval?.required ?? 1;
  const run: Run = {
    runId,
    jobKey: input.jobKey,
    parameters: input.parameters,
    status: "AwaitingApproval",
    version: 1,
    job: input.job,
    catalogVersion: input.catalogVersion,
    createdAt: at,
    updatedAt: at,
    requestedByAddress: addressOf(requester),
    ...(closed ? { requestedBy: person.id, approvers: policy.approvers } : {}),
    channelId: requester.channelId,
    conversationId: conversationOf(requester),
    attempt: 0,
    approvalExpiresAt: expiresAt,
    timeoutSeconds: input.job.timeoutSeconds,
    retryOnWorkerLoss: input.job.retry.onWorkerLoss,
    maxAttempts: input.job.retry.maxAttempts,
    lastHeartbeatAt: null,
    approvedAt: null,
    waitingForSlot: false,
    ...(closed && policy.escalation !== null
      ? {
          escalation: {
            at: new Date(policy.escalation.at).toISOString(),
            to: policy.escalation.to,
          },
        }
      : {}),
    events: [
      {
        runId,
        seq: 1,
        type: "RunCreated",
        at,
        actor: actorOf(requester),
        payload: {
          jobKey: input.jobKey,
          catalogVersion: input.catalogVersion,
          parameters: input.parameters,
          ...(closed ? { address: addressOf(requester) } : {}),
        },
      },
      {
        runId,
        seq: 2,
        type: "ApprovalRequested",
        at,
        actor: "system",
        payload: closed
          ? { policy: `catalog:${input.jobKey}`, expiresAt, approvers: policy.approvers, required }
          : { policy: "DefaultRequireApproval", expiresAt },
      },
    ],
    outbox: [],
    processed: [],
  };
  // Approved right after it is stored (see approveByPolicy in decide.ts): nobody to ask.
  if (input.job.approval?.autoApprove === true) return { run, outbound: [] };
  if (!closed) return { run, outbound: [openApprovalRequest(run)] };
  const { roster } = policy;
  const waits = peopleTexts.waitsForApproval(run, required, policy.approvers, roster.names);
  const told = notice(destinationOf(requester), waits, runId, `approval-waits:${runId}`);
  const requesterName = roster.person(person.id)?.name ?? person.name;
  return {
    run,
    outbound: [told, ...approvalRequests(run, policy.approvers, requesterName, policy)],
  };
}

/** The request of a run in open mode: to whoever asked, for anyone there to answer. */
export function openApprovalRequest(run: Run): OutboundMessage {
  const key = `approval-request:${run.runId}`;
  const actions = approvalActions(run.runId, false);
  return notice(runDestination(run), texts.approvalRequest(run), run.runId, key, { actions });
}

/** One request to each of `approverIds`, in their own conversation, with their own code if the job asks for one. */
export function approvalRequests(
  run: Run,
  approverIds: readonly string[],
  requesterName: string,
  policy: Pick<RunPolicyInput, "roster" | "codeFor">,
): OutboundMessage[] {
  const required = run.job.approval?.required ?? 1;
  const confirm = run.job.approval?.confirmCode ?? false;
  return approverIds.flatMap((id) => {
    const approver = policy.roster.person(id);
    if (approver === undefined) return [];
    const code = confirm ? policy.codeFor(run, id) : null;
    const body = peopleTexts.approvalRequest(run, requesterName, code, required);
    const key = `approval-request:${run.runId}:${id}`;
    const actions = approvalActions(run.runId, code !== null);
    return [notice(approver.notify, body, run.runId, key, { actions })];
  });
}
