import type { JobParameter, OrchestratorReply, OutboundMessage } from "@textops/contracts";
import { answer } from "../domain/answers.js";
import { createRun } from "../domain/create-run.js";
import type { Requester } from "../domain/requester.js";
import { jobPolicy } from "../domain/job-policies.js";
import { outboxEntries } from "../domain/outbox-entries.js";
import type { OutboxRelay } from "./outbox-relay.js";
import type { InboxKey, InboxStore, RunIdGenerator, RunStore } from "./ports.js";
import { pendingFrom } from "./run-commands.js";
import { settledLook } from "../domain/look-plan.js";

export interface CreateRunDeps {
  runs: RunStore;
  inbox: InboxStore;
  relay: OutboxRelay;
  newRunId: RunIdGenerator;
  approvalTtlSeconds: number;
  outboxAgeMs: number;
}

export interface CreateRunRequest {
  key: InboxKey;
  processedKey: string;
  /** The id the inbox entry reserved for this message's run. */
  runId: string;
  jobKey: string;
  parameters: JobParameter[];
  requester: Requester;
  now: number;
  messageId: string;
  /** Called with the reply once the run is stored, before its replies are published. */
  onWritten?: (reply: OrchestratorReply) => void;
}

const MAX_ID_COLLISIONS = 10;

/**
 * Stores a new run under the id the inbox reserved. If that id is taken by
 * this same message's run (a redelivery), answers as before; if by another
 * run (a collision), reserves a fresh id and tries again, never overwriting.
 */
export async function createRunCommand(
  deps: CreateRunDeps,
  request: CreateRunRequest,
): Promise<OrchestratorReply> {
  let runId = request.runId;
  for (let collisions = 0; collisions < MAX_ID_COLLISIONS; collisions += 1) {
    const { run, outbound } = createRun({
      runId,
      jobKey: request.jobKey,
      parameters: request.parameters,
      requester: request.requester,
      policy: jobPolicy(request.jobKey),
      approvalTtlSeconds: deps.approvalTtlSeconds,
      now: request.now,
    });
    const reply = runJobReply(request, runId, outbound);
    const at = new Date(request.now).toISOString();
    run.outbox = outboxEntries(
      { outbound, dispatch: null, cancel: null },
      request.messageId,
      runId,
      at,
    );
    run.processed = [{ key: request.processedKey, reply }];
    const lookAt = settledLook(run, run.outbox.length, request.now, deps.outboxAgeMs);
    if ((await deps.runs.insert(run, lookAt)) === "inserted") {
      request.onWritten?.(reply);
      await deps.relay.flushRun(runId, run.outbox);
      const next = settledLook(run, 0, request.now, deps.outboxAgeMs);
      await deps.runs.settle({ runId, intent: run.version }, next);
      return reply;
    }
    const existing = await deps.runs.find(runId);
    const mine = existing?.processed.find((p) => p.key === request.processedKey);
    if (existing && mine) {
      await deps.relay.flushRun(runId, pendingFrom(existing, request.messageId));
      return mine.reply;
    }
    runId = deps.newRunId();
    await deps.inbox.setRunId(request.key, runId);
  }
  throw new Error(`no free run id after ${MAX_ID_COLLISIONS} tries`);
}

function runJobReply(
  request: CreateRunRequest,
  runId: string,
  outbound: OutboundMessage[],
): OrchestratorReply {
  return answer({
    inboundMessageId: request.messageId,
    intentType: "RunJob",
    jobKey: request.jobKey,
    runId,
    outbound,
  });
}
