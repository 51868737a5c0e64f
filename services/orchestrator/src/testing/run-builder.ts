import type { JobDefinition, RunStatus, UnsignedDispatch } from "@textops/contracts";
import type { Run } from "../domain/stored-run.js";

export const T0 = Date.parse("2026-11-26T12:00:00.000Z");

export const TEST_CATALOG_VERSION = "0123456789ab";

/** The demo job's definition, as the shipped catalog gives it. */
export const demoJob: JobDefinition = {
  description: "A short pause, then success; the job to try TextOps with",
  parameters: {},
  executor: { kind: "builtin", name: "demo" },
  timeoutSeconds: 60,
  retry: { maxAttempts: 3, onWorkerLoss: true, onExitCodes: [] },
  pool: "default",
};

/** A run in any state, for tests of the pure core. */
export function aRun(fields: Partial<Run> & { status?: RunStatus } = {}): Run {
  const at = new Date(T0).toISOString();
  return {
    runId: "K7Q2MX",
    jobKey: "demo",
    parameters: [],
    status: "AwaitingApproval",
    version: 3,
    job: demoJob,
    catalogVersion: TEST_CATALOG_VERSION,
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
    approvedAt: null,
    waitingForSlot: false,
    events: [
      {
        runId: "K7Q2MX",
        seq: 1,
        type: "RunCreated",
        at,
        actor: "user:dev:user1",
        payload: { jobKey: "demo", catalogVersion: TEST_CATALOG_VERSION, parameters: [] },
      },
    ],
    outbox: [],
    processed: [],
    ...fields,
  };
}

/** A dispatch of a run's first attempt, before it is signed. */
export function aDispatch(fields: Partial<UnsignedDispatch> = {}): UnsignedDispatch {
  return {
    runId: "K7Q2MX",
    attempt: 1,
    jobKey: "demo",
    job: demoJob,
    catalogVersion: TEST_CATALOG_VERSION,
    parameters: [],
    timeoutSeconds: 60,
    retryOnWorkerLoss: true,
    requestedBy: "user:dev:user1",
    approvedBy: ["user:dev:user1"],
    dispatchedAt: new Date(T0).toISOString(),
    ...fields,
  };
}
