import { QUEUES, type OutboxEntry } from "@textops/contracts";
import { delayedRoute } from "@textops/messaging";
import type { Logger } from "pino";
import type { InboxKey, InboxStore, Publisher, RunStore } from "./ports.js";

export interface OutboxRelay {
  /** Publishes a run's entries with confirms, then removes them from the run. */
  flushRun(runId: string, entries: OutboxEntry[]): Promise<void>;
  flushInbox(key: InboxKey, entries: OutboxEntry[]): Promise<void>;
  /**
   * For the sweeper: publishes again a run's entries that this process has
   * seen pending for `ageMs`; returns those it published (and removed).
   */
  republishRun(
    runId: string,
    pending: OutboxEntry[],
    now: number,
    ageMs: number,
  ): Promise<OutboxEntry[]>;
  republishInbox(
    key: InboxKey,
    pending: OutboxEntry[],
    now: number,
    ageMs: number,
  ): Promise<OutboxEntry[]>;
}

export function createOutboxRelay(deps: {
  publisher: Publisher;
  runs: RunStore;
  inbox: InboxStore;
  log: Logger;
}): OutboxRelay {
  const { publisher, runs, inbox, log } = deps;
  // Published but not yet removed by this process: a sweep must not publish them again.
  const inFlight = new Set<string>();
  // Per run or inbox entry with pending entries: when this process first saw each pending.
  const firstSeen = new Map<string, Map<string, number>>();

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
  function stranded(owner: string, pending: OutboxEntry[], now: number, ageMs: number) {
    const seen = firstSeen.get(owner);
    const current = new Map(pending.map((e) => [e.messageId, seen?.get(e.messageId) ?? now]));
    if (current.size > 0) firstSeen.set(owner, current);
    else firstSeen.delete(owner);
    return pending.filter(
      (e) => !inFlight.has(e.messageId) && now - (current.get(e.messageId) ?? now) >= ageMs,
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
    async republishRun(runId, pending, now, ageMs) {
      const entries = stranded(`run:${runId}`, pending, now, ageMs);
      await relay.flushRun(runId, entries);
      if (entries.length > 0)
        log.info({ runId, count: entries.length }, "republished outbox entries");
      return entries;
    },
    async republishInbox(key, pending, now, ageMs) {
      const entries = stranded(
        `inbox:${key.channelId}:${key.providerMessageId}`,
        pending,
        now,
        ageMs,
      );
      await relay.flushInbox(key, entries);
      if (entries.length > 0) log.info({ ...key, count: entries.length }, "republished replies");
      return entries;
    },
  };
  return relay;
}

/** A delayed entry (a retried dispatch) goes to the workers' queue through a delay queue. */
function delayed(delayMs: number | undefined) {
  return delayMs === undefined ? {} : delayedRoute(QUEUES.workerDispatch, delayMs);
}
