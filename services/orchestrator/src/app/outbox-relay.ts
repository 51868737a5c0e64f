import type { OutboxEntry } from "@textops/contracts";
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

  async function publishAll(entries: OutboxEntry[]) {
    await Promise.all(
      entries.map((entry) =>
        publisher.publish(entry.type, entry.payload, {
          messageId: entry.messageId,
          correlationId: entry.correlationId,
          causationId: entry.causationId,
          occurredAt: entry.occurredAt,
        }),
      ),
    );
  }

  const relay: OutboxRelay = {
    async flushRun(runId, entries) {
      if (entries.length === 0) return;
      await publishAll(entries);
      await runs.removeOutbox(runId, entries);
    },
    async flushInbox(key, entries) {
      if (entries.length === 0) return;
      await publishAll(entries);
      await inbox.removeOutbox(key, entries);
    },
    async republishPending(now, ageMs) {
      const before = new Date(now - ageMs).toISOString();
      const [fromRuns, fromInbox] = await Promise.all([
        runs.pendingOutbox(before, 100),
        inbox.pendingOutbox(before, 100),
      ]);
      for (const pending of fromRuns) await relay.flushRun(pending.runId, pending.outbox);
      for (const pending of fromInbox) await relay.flushInbox(pending.key, pending.outbox);
      const count = [...fromRuns, ...fromInbox].reduce((n, p) => n + p.outbox.length, 0);
      if (count > 0) log.info({ count }, "republished pending outbox entries");
      return count;
    },
  };
  return relay;
}
