import type { JobDefinition, ParameterValue } from "@textops/contracts";
import { answer, forSender, type Answer } from "../domain/answers.js";
import { createRun, type RunPolicyInput } from "../domain/create-run.js";
import { destinationOf, type Requester } from "../domain/requester.js";
import type { Commit, Sender } from "./commit.js";
import type { InboxKey, InboxStore, RunIdGenerator, RunStore } from "./ports.js";

export interface CreateRunDeps {
  runs: RunStore;
  inbox: InboxStore;
  commit: Commit;
  newRunId: RunIdGenerator;
  approvalTtlSeconds: number;
}

export interface CreateRunRequest {
  key: InboxKey;
  processedKey: string;
  /** The id the inbox entry reserved for this message's run. */
  runId: string;
  jobKey: string;
  /** Its definition and values, checked against the catalog of `catalogVersion`. */
  job: JobDefinition;
  catalogVersion: string;
  parameters: ParameterValue[];
  requester: Requester;
  now: number;
  messageId: string;
  /** Who approves, when there is a directory (closed mode). */
  policy?: RunPolicyInput;
}

export type CreateRunResult =
  /** Stored now; the sender was answered once it was. */
  | { kind: "applied"; answer: Answer }
  /** Stored before, by this same message (a redelivery): the answer the run holds. */
  | { kind: "already-applied"; answer: Answer };

const MAX_ID_COLLISIONS = 10;

/**
 * Stores a new run under the id the inbox reserved. If that id is taken by
 * this same message's run (a redelivery), answers as before; if by another
 * run (a collision), reserves a fresh id and tries again, never overwriting.
 */
export async function createRunCommand(
  deps: CreateRunDeps,
  request: CreateRunRequest,
  sender: Sender | null,
): Promise<CreateRunResult> {
  let runId = request.runId;
  for (let collisions = 0; collisions < MAX_ID_COLLISIONS; collisions += 1) {
    const { run, outbound } = createRun({
      runId,
      jobKey: request.jobKey,
      job: request.job,
      catalogVersion: request.catalogVersion,
      parameters: request.parameters,
      requester: request.requester,
      ...(request.policy ? { policy: request.policy } : {}),
      approvalTtlSeconds: deps.approvalTtlSeconds,
      now: request.now,
    });
    const held = answer({
      inboundMessageId: request.messageId,
      intentType: "RunJob",
      jobKey: request.jobKey,
      runId,
      outbound: forSender(outbound, destinationOf(request.requester)),
    });
    const commit = {
      run,
      sends: { outbound, dispatch: null, cancel: null },
      causationId: request.messageId,
      now: request.now,
      processed: { key: request.processedKey, reply: held },
    };
    if ((await deps.commit.newRun(commit, sender)) === "committed") {
      return { kind: "applied", answer: held };
    }
    const existing = await deps.runs.find(runId);
    const mine = existing?.processed.find((p) => p.key === request.processedKey);
    if (existing && mine) {
      await deps.commit.finishRun(existing, request.messageId);
      return { kind: "already-applied", answer: mine.reply };
    }
    runId = deps.newRunId();
    await deps.inbox.setRunId(request.key, runId);
  }
  throw new Error(`no free run id after ${MAX_ID_COLLISIONS} tries`);
}
