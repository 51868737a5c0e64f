import type { ExecutionDispatch, RunStatus } from "@textops/contracts";
import type { Run } from "../domain/stored-run.js";

export const T0 = Date.parse("2026-11-26T12:00:00.000Z");

/** A run in any state, for tests of the pure core. */
export function aRun(fields: Partial<Run> & { status?: RunStatus } = {}): Run {
  const at = new Date(T0).toISOString();
  return {
    runId: "K7Q2MX",
    jobKey: "demo",
    parameters: [],
    status: "AwaitingApproval",
    version: 3,
    createdAt: at,
    updatedAt: at,
    requestedByAddress: "dev:user1",
    channelId: "dev",
    conversationId: "dev:user1",
    attempt: 1,
    approvalExpiresAt: new Date(T0 + 3600_000).toISOString(),
    timeoutSeconds: 60,
    retryOnWorkerLoss: true,
    maxAttempts: 3,
    lastHeartbeatAt: at,
    events: [
      {
        runId: "K7Q2MX",
        seq: 1,
        type: "RunCreated",
        at,
        actor: "user:dev:user1",
        payload: { jobKey: "demo", parameters: [] },
      },
    ],
    outbox: [],
    processed: [],
    ...fields,
  };
}

/** A dispatch of a run's first attempt. */
export function aDispatch(fields: Partial<ExecutionDispatch> = {}): ExecutionDispatch {
  return {
    runId: "K7Q2MX",
    attempt: 1,
    jobKey: "demo",
    parameters: [],
    timeoutSeconds: 60,
    retryOnWorkerLoss: true,
    dispatchedAt: new Date(T0).toISOString(),
    ...fields,
  };
}
