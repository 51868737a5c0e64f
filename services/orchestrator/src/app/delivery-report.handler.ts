import type { Handler } from "@textops/messaging";
import type { KeyedLock } from "./keyed-lock.js";
import type { Clock } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";

export interface DeliveryReportDeps extends RunCommandDeps {
  clock: Clock;
  /** Serialises work per run; taken before the first await. */
  lock: KeyedLock;
}

/**
 * What a channel's delivery consumer reports of a notice, noted on the run
 * it is about, under the run's lock. A report about no run (an answer to a
 * message that named none) or an unknown one has nothing to note. A
 * redelivered report finds its event on the run and writes nothing, so it
 * needs no inbox record: one read and at most one write per report.
 */
export function createDeliveryReportHandler(deps: DeliveryReportDeps): Handler<"DeliveryReport"> {
  return (delivery, log) => {
    const report = delivery.payload;
    const runId = report.correlationId;
    const fields = { runId, idempotencyKey: report.idempotencyKey, outcome: report.outcome };
    if (runId === "") {
      log.debug(fields, "delivery report about no run; nothing to note");
      return Promise.resolve();
    }
    return deps.lock.run(runId, async () => {
      const result = await applyToRun(deps, {
        runId,
        input: { kind: "delivery", report },
        now: deps.clock(),
        causationId: delivery.envelope.messageId,
        processedKey: null,
      });
      if (result.kind === "not-found") log.debug(fields, "delivery report for an unknown run");
      else log.debug({ ...fields, result: result.kind }, "delivery report noted");
    });
  };
}
