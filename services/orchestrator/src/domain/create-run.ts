import type { JobParameter, OutboundMessage } from "@textops/contracts";
import { notice, texts } from "./notices.js";
import type { Run } from "./stored-run.js";
import { actorOf, addressOf, conversationOf, destinationOf, type Requester } from "./requester.js";

/** What the orchestrator knows of a job before running it. */
export interface JobPolicy {
  timeoutSeconds: number;
  retryOnWorkerLoss: boolean;
  /** Attempts allowed when the job reports a retryable failure, the first included. */
  maxAttempts: number;
}

export interface CreateRunInput {
  runId: string;
  jobKey: string;
  parameters: JobParameter[];
  requester: Requester;
  policy: JobPolicy;
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
    createdAt: at,
    updatedAt: at,
    requestedByAddress: addressOf(input.requester),
    channelId: input.requester.channelId,
    conversationId: conversationOf(input.requester),
    attempt: 0,
    approvalExpiresAt: expiresAt,
    timeoutSeconds: input.policy.timeoutSeconds,
    retryOnWorkerLoss: input.policy.retryOnWorkerLoss,
    maxAttempts: input.policy.maxAttempts,
    lastHeartbeatAt: null,
    events: [
      {
        runId,
        seq: 1,
        type: "RunCreated",
        at,
        actor: actorOf(input.requester),
        payload: { jobKey: input.jobKey, parameters: input.parameters },
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
