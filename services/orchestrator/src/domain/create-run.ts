import type { JobDefinition, OutboundMessage, ParameterValue } from "@textops/contracts";
import { notice, texts } from "./notices.js";
import type { Run } from "./stored-run.js";
import { actorOf, addressOf, conversationOf, destinationOf, type Requester } from "./requester.js";

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
}

/** A new run, already awaiting approval, and the text asking for it. */
export function createRun(input: CreateRunInput): { run: Run; outbound: OutboundMessage[] } {
  const at = new Date(input.now).toISOString();
  const expiresAt = new Date(input.now + input.approvalTtlSeconds * 1000).toISOString();
  const { runId } = input;
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
    requestedByAddress: addressOf(input.requester),
    channelId: input.requester.channelId,
    conversationId: conversationOf(input.requester),
    attempt: 0,
    approvalExpiresAt: expiresAt,
    timeoutSeconds: input.job.timeoutSeconds,
    retryOnWorkerLoss: input.job.retry.onWorkerLoss,
    maxAttempts: input.job.retry.maxAttempts,
    lastHeartbeatAt: null,
    approvedAt: null,
    waitingForSlot: false,
    events: [
      {
        runId,
        seq: 1,
        type: "RunCreated",
        at,
        actor: actorOf(input.requester),
        payload: {
          jobKey: input.jobKey,
          catalogVersion: input.catalogVersion,
          parameters: input.parameters,
        },
      },
      {
        runId,
        seq: 2,
        type: "ApprovalRequested",
        at,
        actor: "system",
        payload: { policy: "DefaultRequireApproval", expiresAt },
      },
    ],
    outbox: [],
    processed: [],
  };
  const ask = notice(
    destinationOf(input.requester),
    texts.approvalRequest(run),
    runId,
    `approval-request:${runId}`,
  );
  return { run, outbound: [ask] };
}
