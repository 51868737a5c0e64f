import type { ProcessedMessage, Run } from "../domain/stored-run.js";
import type { Logger } from "pino";
import { answer, type Answer } from "../domain/answers.js";
import { decide, type RunInput } from "../domain/decide.js";
import type { Decision } from "../domain/decision.js";
import type { Commit, Sender } from "./commit.js";
import type { RunStore } from "./ports.js";

export type ApplyResult =
  | { kind: "not-found" }
  /** The run already holds this message's effect (a redelivery after a crash). */
  | { kind: "already-applied"; processed: ProcessedMessage }
  /** `answer` is the answer the run now holds for this message. */
  | { kind: "applied"; run: Run; decision: Decision; answer: Answer }
  | { kind: "unchanged"; run: Run; decision: Decision };

export interface ApplyRequest {
  runId: string;
  input: RunInput;
  now: number;
  /** Id of the message that caused this; outbox message ids derive from it. */
  causationId: string;
  /** Marks the run as holding this message's effect; absent for sweeps and heartbeats. */
  processedKey: string | null;
  /** The answer the run holds for this message once changed. */
  answer?: (run: Run, decision: Decision) => Answer;
}

export interface RunCommandDeps {
  runs: RunStore;
  commit: Commit;
  log: Logger;
}

const MAX_CONFLICTS = 20;

/**
 * Decides on the current run and commits the change; on a conflict (another
 * writer got there first) reads again and decides again. The sender, if one
 * waits, is answered as soon as the change is durable.
 */
export async function applyToRun(
  deps: RunCommandDeps,
  request: ApplyRequest,
  sender: Sender | null = null,
): Promise<ApplyResult> {
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts += 1) {
    const outcome = await attempt(deps, request, sender);
    if (outcome !== "conflict") return outcome;
    deps.log.debug({ runId: request.runId, conflicts }, "version conflict; deciding again");
  }
  throw new Error(`run ${request.runId} kept changing under ${MAX_CONFLICTS} attempts`);
}

async function attempt(
  deps: RunCommandDeps,
  request: ApplyRequest,
  sender: Sender | null,
): Promise<ApplyResult | "conflict"> {
  const run = await deps.runs.find(request.runId);
  if (!run) return { kind: "not-found" };
  const key = request.processedKey;
  const done = key === null ? undefined : run.processed.find((p) => p.key === key);
  if (done) {
    // A crash may have come between the write and the publish: finish that now.
    await deps.commit.finishRun(run, request.causationId);
    return { kind: "already-applied", processed: done };
  }

  const decision = decide(run, request.input, { now: request.now, commandId: request.causationId });
  if (!decision.change) return { kind: "unchanged", run, decision };
  const held = request.answer?.(run, decision) ?? causeAnswer(request);
  const commit = {
    run,
    change: decision.change,
    sends: decision,
    causationId: request.causationId,
    now: request.now,
    processed: key === null ? null : { key, reply: held },
  };
  if (!(await deps.commit.runChange(commit, sender))) return "conflict";
  return { kind: "applied", run, decision, answer: held };
}

/** What a run holds for a worker callback it applied: no one waits for it. */
function causeAnswer(request: ApplyRequest): Answer {
  return answer({
    inboundMessageId: request.causationId,
    intentType: request.input.kind,
    runId: request.runId,
  });
}
