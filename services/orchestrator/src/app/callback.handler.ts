import type { CallbackKind } from "@textops/contracts";
import type { Delivery, Handlers } from "@textops/messaging";
import type { Logger } from "pino";
import type { RunInput } from "../domain/decide.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { Clock, InboxStore } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";

export interface CallbackDeps extends RunCommandDeps {
  inbox: InboxStore;
  clock: Clock;
  /** Serialises work per run; taken before the first await. */
  lock: KeyedLock;
}

type CallbackType = "ExecutionStarted" | "ExecutionCompleted";

/**
 * Worker callbacks. Started and completed are recorded in the inbox under
 * (worker, runId:attempt:kind), so each has its effect once; heartbeats only
 * move a timestamp forward and need no record.
 */
export function createCallbackHandlers(
  deps: CallbackDeps,
): Handlers<CallbackType | "ExecutionHeartbeat"> {
  // Each takes the run's lock before its first await, so callbacks apply in queue order.
  const serial =
    <T extends CallbackType | "ExecutionHeartbeat">(
      work: (delivery: Delivery<T>, log: Logger) => Promise<void>,
    ) =>
    (delivery: Delivery<T>, log: Logger) =>
      deps.lock.run(delivery.payload.runId, () => work(delivery, log));
  return {
    ExecutionStarted: serial((delivery, log) =>
      handleOnce(deps, delivery, "started", { kind: "started", message: delivery.payload }, log),
    ),
    ExecutionCompleted: serial((delivery, log) =>
      handleOnce(
        deps,
        delivery,
        "completed",
        { kind: "completed", message: delivery.payload },
        log,
      ),
    ),
    ExecutionHeartbeat: serial(async (delivery, log) => {
      const { runId, attempt, at } = delivery.payload;
      const result = await applyToRun(deps, {
        runId,
        input: { kind: "heartbeat", at, attempt },
        now: deps.clock(),
        causationId: delivery.envelope.messageId,
        processedKey: null,
      });
      if (result.kind === "not-found") log.warn({ runId }, "heartbeat for an unknown run");
    }),
  };
}

async function handleOnce<T extends CallbackType>(
  deps: CallbackDeps,
  delivery: Delivery<T>,
  kind: CallbackKind,
  input: RunInput,
  log: Logger,
) {
  const { runId, attempt } = delivery.payload;
  const key = { channelId: "worker", providerMessageId: `${runId}:${attempt}:${kind}` };
  const receivedAt = new Date(deps.clock()).toISOString();
  const recorded = await deps.inbox.record({
    ...key,
    messageId: delivery.envelope.messageId,
    receivedAt,
    state: "processing",
    runId,
    reply: null,
    outbox: [],
  });
  const entry = recorded.kind === "recorded" ? null : recorded.existing;
  if (entry?.state === "done") {
    log.info({ runId, attempt, kind }, "duplicate worker callback; no effect");
    return;
  }
  // A replay decides at the time first recorded, so it writes the same events.
  const now = Date.parse(entry?.receivedAt ?? receivedAt);
  const result = await applyToRun(deps, {
    runId,
    input,
    now,
    causationId: `${key.channelId}:${key.providerMessageId}`,
    processedKey: `${key.channelId}:${key.providerMessageId}`,
  });
  if (result.kind === "not-found") log.warn({ runId, kind }, "callback for an unknown run");
  await deps.inbox.complete(key, null, []);
  log.info({ runId, attempt, kind, result: result.kind }, "worker callback applied");
}
