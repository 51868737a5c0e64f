import { QUEUES } from "@textops/contracts";
import type { OutboxEntry } from "../domain/stored-run.js";
import { delayedRoute } from "@textops/messaging";
import type { Logger } from "pino";
import type { DispatchSigner, InboxKey, InboxStore, Publisher, RunStore } from "./ports.js";

/** The document that holds pending outbox entries: a run, or an inbox entry. */
export type OutboxOwner = { runId: string } | { inboxKey: InboxKey };

/** Part of the commit unit (commit.ts): publishes outbox entries with confirms, then removes them. */
export interface OutboxRelay {
  /** Publishes entries with confirms, then removes them from their owner. */
  flush(owner: OutboxOwner, entries: OutboxEntry[]): Promise<void>;
  /**
   * For the sweeper: publishes again the entries this process has itself seen
   * pending for `ageMs`; returns those it published (and removed).
   */
  republish(owner: OutboxOwner, pending: OutboxEntry[], now: number): Promise<OutboxEntry[]>;
}

export function createOutboxRelay(resources: {
  publisher: Publisher;
  signDispatch: DispatchSigner;
  runs: RunStore;
  inbox: InboxStore;
  log: Logger;
  ageMs: number;
}): OutboxRelay {
  const { publisher, signDispatch, runs, inbox, log, ageMs } = resources;
  // Published but not yet removed by this process: a sweep must not publish them again.
  const inFlight = new Set<string>();
  // Per owner with pending entries: when this process first saw each pending.
  const firstSeen = new Map<string, Map<string, number>>();

  async function publishAll(entries: OutboxEntry[]) {
    for (const entry of entries) inFlight.add(entry.messageId);
    await Promise.all(entries.map(publishOne));
  }

  function publishOne(entry: OutboxEntry) {
    const fields = {
      messageId: entry.messageId,
      correlationId: entry.correlationId,
      causationId: entry.causationId,
      occurredAt: entry.occurredAt,
    };
    switch (entry.type) {
      case "ExecutionDispatch": {
        const queue = QUEUES.dispatch(entry.payload.job.pool);
        const route = entry.delayMs === undefined ? {} : delayedRoute(queue, entry.delayMs);
        return publisher.publish("ExecutionDispatch", signDispatch(entry.payload), {
          ...fields,
          ...route,
        });
      }
      case "OutboundMessage":
        return publisher.publish("OutboundMessage", entry.payload, fields);
      case "ExecutionCancelRequested":
        return publisher.publish("ExecutionCancelRequested", entry.payload, fields);
    }
  }

  /**
   * An entry is stranded only once this process has itself seen it pending
   * for `ageMs`: after a database outage every entry looks old, but the
   * process that wrote one removes it moments after the database is back.
   */
  function stranded(owner: OutboxOwner, pending: OutboxEntry[], now: number) {
    const id = ownerId(owner);
    const seen = firstSeen.get(id);
    const current = new Map(pending.map((e) => [e.messageId, seen?.get(e.messageId) ?? now]));
    if (current.size > 0) firstSeen.set(id, current);
    else firstSeen.delete(id);
    return pending.filter(
      (e) => !inFlight.has(e.messageId) && now - (current.get(e.messageId) ?? now) >= ageMs,
    );
  }

  const removeOutbox = (owner: OutboxOwner, entries: OutboxEntry[]) =>
    "runId" in owner
      ? runs.removeOutbox(owner.runId, entries)
      : inbox.removeOutbox(owner.inboxKey, entries);

  const relay: OutboxRelay = {
    async flush(owner, entries) {
      if (entries.length === 0) return;
      try {
        await publishAll(entries);
        await removeOutbox(owner, entries);
      } finally {
        for (const entry of entries) inFlight.delete(entry.messageId);
      }
    },
    async republish(owner, pending, now) {
      const entries = stranded(owner, pending, now);
      await relay.flush(owner, entries);
      if (entries.length > 0) {
        const fields = "runId" in owner ? { runId: owner.runId } : owner.inboxKey;
        log.info({ ...fields, count: entries.length }, "republished outbox entries");
      }
      return entries;
    },
  };
  return relay;
}

function ownerId(owner: OutboxOwner) {
  return "runId" in owner
    ? `run:${owner.runId}`
    : `inbox:${owner.inboxKey.channelId}:${owner.inboxKey.providerMessageId}`;
}
