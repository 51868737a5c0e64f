import type { OutboundMessage } from "@textops/contracts";
import type { Decision } from "./decision.js";
import type { OutboxEntry } from "./stored-run.js";

/**
 * Turns what a decision sends into outbox entries. Message ids derive from
 * the cause, so replaying the same cause yields the same ids and receivers
 * can drop the repeat.
 */
export function outboxEntries(
  decision: Pick<Decision, "outbound" | "dispatch" | "cancel"> & { dispatchDelayMs?: number },
  causationId: string,
  correlationId: string,
  occurredAt: string,
): OutboxEntry[] {
  const base = (suffix: string) => ({
    messageId: `${causationId}:${suffix}`,
    correlationId,
    causationId,
    occurredAt,
  });
  const entries: OutboxEntry[] = decision.outbound.map((payload: OutboundMessage, i) => ({
    ...base(`out${i}`),
    type: "OutboundMessage" as const,
    payload,
  }));
  if (decision.dispatch) {
    const delay = decision.dispatchDelayMs;
    entries.push({
      ...base("dispatch"),
      type: "ExecutionDispatch",
      payload: decision.dispatch,
      ...(delay === undefined ? {} : { delayMs: delay }),
    });
  }
  if (decision.cancel) {
    entries.push({ ...base("cancel"), type: "ExecutionCancelRequested", payload: decision.cancel });
  }
  return entries;
}
