import type { OrchestratorReply, OutboxEntry, ProcessedMessage, Run } from "@textops/contracts";
import type { Logger } from "pino";
import { answer } from "../domain/answers.js";
import { decide, type RunInput } from "../domain/decide.js";
import type { Decision } from "../domain/decision.js";
import type { RunStore } from "./ports.js";
import type { KeyedLock } from "./keyed-lock.js";
import { outboxEntries } from "../domain/outbox-entries.js";
import type { OutboxRelay } from "./outbox-relay.js";
import { announcedLook, settledLook } from "../domain/look-plan.js";

export type ApplyResult =
  | { kind: "not-found" }
  /** The run already holds this message's effect (a redelivery after a crash). */
  | { kind: "already-applied"; processed: ProcessedMessage }
  /** `reply` is the answer the run now holds for this message. */
  | { kind: "applied"; run: Run; decision: Decision; reply: OrchestratorReply }
  | { kind: "unchanged"; run: Run; decision: Decision };

export interface ApplyRequest {
  runId: string;
  input: RunInput;
  now: number;
  /** Id of the message that caused this; outbox message ids derive from it. */
  causationId: string;
  /** Marks the run as holding this message's effect; absent for sweeps and heartbeats. */
  processedKey: string | null;
  reply?: (run: Run, decision: Decision) => OrchestratorReply;
  /** Called with the reply once the change is durable, before what it sends is published. */
  onWritten?: (reply: OrchestratorReply) => void;
}

export interface RunCommandDeps {
  runs: RunStore;
  relay: OutboxRelay;
  /** Serialises work per run; callers take it before their first await. */
  lock: KeyedLock;
  log: Logger;
  /** Outbox entries are looked at by the sweeper once they are this old. */
  outboxAgeMs: number;
}

const MAX_CONFLICTS = 20;

/**
 * Decides on the current run and writes the change guarded by its version;
 * on a conflict (another writer got there first) reads again and decides again.
 * Whatever the change sends is published right after the write.
 */
export async function applyToRun(
  deps: RunCommandDeps,
  request: ApplyRequest,
): Promise<ApplyResult> {
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts += 1) {
    const outcome = await attempt(deps, request);
    if (outcome !== "conflict") return outcome;
    deps.log.debug({ runId: request.runId, conflicts }, "version conflict; deciding again");
  }
  throw new Error(`run ${request.runId} kept changing under ${MAX_CONFLICTS} attempts`);
}

async function attempt(
  deps: RunCommandDeps,
  request: ApplyRequest,
): Promise<ApplyResult | "conflict"> {
  const run = await deps.runs.find(request.runId);
  if (!run) return { kind: "not-found" };
  const key = request.processedKey;
  const done = key === null ? undefined : run.processed.find((p) => p.key === key);
  if (done) {
    // A crash may have come between the write and the publish: finish that now.
    await deps.relay.flushRun(run.runId, pendingFrom(run, request.causationId));
    return { kind: "already-applied", processed: done };
  }

  const decision = decide(run, request.input, { now: request.now, commandId: request.causationId });
  if (!decision.change) return { kind: "unchanged", run, decision };

  const at = new Date(request.now).toISOString();
  const entries: OutboxEntry[] = outboxEntries(decision, request.causationId, run.runId, at);
  const reply = request.reply?.(run, decision) ?? emptyReply(request);
  const processed = key === null ? [] : [{ key, reply }];
  const after = { ...run, ...decision.change };
  const lookAt = announcedLook(run, after, entries.length, request.now, deps.outboxAgeMs);
  const write = { ...decision.change, updatedAt: at, outbox: entries, processed };
  if (!(await deps.runs.apply(run.runId, run.version, write, lookAt))) return "conflict";
  request.onWritten?.(reply);
  await deps.relay.flushRun(run.runId, entries);
  // Published: a look announced for these entries is no longer needed.
  const next = settledLook(after, run.outbox.length, request.now, deps.outboxAgeMs);
  if (lookAt !== null && next !== lookAt) {
    await deps.runs.settle({ runId: run.runId, intent: run.version + 1 }, next);
  }
  return { kind: "applied", run, decision, reply };
}

function emptyReply(request: ApplyRequest): OrchestratorReply {
  return answer({
    inboundMessageId: request.causationId,
    intentType: request.input.kind,
    runId: request.runId,
  });
}

/** The outbox entries one cause left in a run, exactly as stored. */
export function pendingFrom(run: Run, causationId: string): OutboxEntry[] {
  return run.outbox.filter((entry) => entry.causationId === causationId);
}
