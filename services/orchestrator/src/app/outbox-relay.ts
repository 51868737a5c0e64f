import { QUEUES, type OutboxEntry } from "@textops/contracts";
import { delayedRoute } from "@textops/messaging";
import type { Logger } from "pino";
import type { InboxKey, InboxRepository } from "../adapters/mongo/inbox.repository.js";
import type { RunRepository } from "../adapters/mongo/run.repository.js";
import type { Publisher } from "./ports.js";

export interface OutboxRelay {
  /** Publishes a run's entries with confirms, then removes them from the run. */
  flushRun(runId: string, entries: OutboxEntry[]): Promise<void>;
  flushInbox(key: InboxKey, entries: OutboxEntry[]): Promise<void>;
  /** Publishes again whatever a crash left pending for longer than `ageMs`; returns the count. */
  republishPending(now: number, ageMs: number): Promise<number>;
}

export function createOutboxRelay(deps: {
  publisher: Publisher;
  runs: RunRepository;
  inbox: InboxRepository;
  log: Logger;
}): OutboxRelay {
  const { publisher, runs, inbox, log } = deps;
  // Published but not yet removed by this process: a sweep must not publish them again.
  const inFlight = new Set<string>();
  const firstSeen = new Map<string, number>();

  async function publishAll(entries: OutboxEntry[]) {
    for (const entry of entries) inFlight.add(entry.messageId);
    await Promise.all(
      entries.map((entry) =>
        publisher.publish(entry.type, entry.payload, {
          messageId: entry.messageId,
          correlationId: entry.correlationId,
          causationId: entry.causationId,
          occurredAt: entry.occurredAt,
          ...delayed(entry.delayMs),
        }),
      ),
    );
  }

  /**
   * An entry is stranded only once this process has itself seen it pending
   * for `ageMs`: after a database outage every entry looks old, but the
   * process that wrote one removes it moments after the database is back.
   */
  function strandedSince(now: number, ageMs: number, pending: { outbox: OutboxEntry[] }[]) {
    const present = new Set(pending.flatMap((p) => p.outbox.map((e) => e.messageId)));
    for (const id of firstSeen.keys()) if (!present.has(id)) firstSeen.delete(id);
    for (const id of present) if (!firstSeen.has(id)) firstSeen.set(id, now);
    return (entries: OutboxEntry[]) =>
      entries.filter(
        (e) => !inFlight.has(e.messageId) && now - (firstSeen.get(e.messageId) ?? now) >= ageMs,
      );
  }

  const relay: OutboxRelay = {
    async flushRun(runId, entries) {
      if (entries.length === 0) return;
      try {
        await publishAll(entries);
        await runs.removeOutbox(runId, entries);
      } finally {
        for (const entry of entries) inFlight.delete(entry.messageId);
      }
    },
    async flushInbox(key, entries) {
      if (entries.length === 0) return;
      try {
        await publishAll(entries);
        await inbox.removeOutbox(key, entries);
      } finally {
        for (const entry of entries) inFlight.delete(entry.messageId);
      }
    },
    async republishPending(now, ageMs) {
      const before = new Date(now - ageMs).toISOString();
      const [fromRuns, fromInbox] = await Promise.all([
        runs.pendingOutbox(before, 100),
        inbox.pendingOutbox(before, 100),
      ]);
      const stranded = strandedSince(now, ageMs, [...fromRuns, ...fromInbox]);
      let count = 0;
      for (const pending of fromRuns) {
        const entries = stranded(pending.outbox);
        count += entries.length;
        await relay.flushRun(pending.runId, entries);
      }
      for (const pending of fromInbox) {
        const entries = stranded(pending.outbox);
        count += entries.length;
        await relay.flushInbox(pending.key, entries);
      }
      if (count > 0) log.info({ count }, "republished pending outbox entries");
      return count;
    },
  };
  return relay;
}

/** A delayed entry (a retried dispatch) goes to the workers' queue through a delay queue. */
function delayed(delayMs: number | undefined) {
  return delayMs === undefined ? {} : delayedRoute(QUEUES.workerDispatch, delayMs);
}
