import type { MessageEnvelope, MessageType, PayloadOf } from "@textops/contracts";
import { newEnvelope, type PublishExtras } from "@textops/messaging";
import type {
  InboxEntry,
  InboxKey,
  InboxStore,
  Publisher,
  RunGlance,
  RunOutputReader,
  RunStore,
  RunWrite,
} from "../app/ports.js";
import type { OutboxEntry, Run } from "../domain/stored-run.js";
import { waitsForDecisionOf } from "../domain/run-approval.js";

/*
 * In-memory versions of the app layer's own ports, for fast tests of the app
 * layer. They keep the rules the Mongo adapters keep (a version-guarded
 * write, an insert that never overwrites, a watch list announced before a
 * write and settled only by one who saw that write), so what passes here is
 * what the real-server tests check against MongoDB.
 */

/** Lets other work run, as a round trip to a server would. */
export const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));
export const copy = <T>(value: T): T => structuredClone(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const without = (list: OutboxEntry[], gone: OutboxEntry[]) =>
  list.filter((entry) => !gone.some((g) => same(g, entry)));

interface Mark {
  intent: number;
  dueAt: string;
  announcedAt: string;
}

/** The watch list's two rules (see adapters/mongo/watch-list.ts), over a Map. */
function watchList() {
  const marks = new Map<string, Mark>();
  return {
    marks,
    announce(id: string, intent: number, dueAt: string, now: string) {
      const mark = marks.get(id);
      marks.set(id, {
        intent: Math.max(mark?.intent ?? intent, intent),
        dueAt: mark && mark.dueAt < dueAt ? mark.dueAt : dueAt,
        announcedAt: now,
      });
    },
    announceNext(id: string, dueAt: string, now: string) {
      const intent = (marks.get(id)?.intent ?? 0) + 1;
      this.announce(id, intent, dueAt, now);
      return intent;
    },
    due(now: string, limit: number) {
      return [...marks.entries()]
        .filter(([, mark]) => mark.dueAt <= now)
        .sort(([, a], [, b]) => a.dueAt.localeCompare(b.dueAt))
        .slice(0, limit)
        .map(([id, mark]) => ({ id, ...mark }));
    },
    settle(id: string, intent: number, dueAt: string | null) {
      const mark = marks.get(id);
      if (mark?.intent !== intent) return;
      if (dueAt === null) marks.delete(id);
      else mark.dueAt = dueAt;
    },
  };
}

export type InMemoryRunStore = RunStore & {
  /** The runs stored, by id. */
  readonly stored: Map<string, Run>;
  /** When the sweeper must look at each watched run. */
  readonly watched: () => Map<string, string>;
};

export function inMemoryRunStore(): InMemoryRunStore {
  const stored = new Map<string, Run>();
  const watch = watchList();
  const announce = (runId: string, version: number, lookAt: string | null, now: string) => {
    if (lookAt !== null) watch.announce(runId, version, lookAt, now);
  };
  return {
    stored,
    watched: () => new Map([...watch.marks].map(([id, mark]) => [id, mark.dueAt])),
    async find(runId) {
      await roundTrip();
      return copy(stored.get(runId) ?? null);
    },
    async insert(run, lookAt) {
      await roundTrip();
      announce(run.runId, run.version, lookAt, run.updatedAt);
      if (stored.has(run.runId)) return "exists";
      stored.set(run.runId, copy(run));
      return "inserted";
    },
    async apply(runId, expectedVersion, write, lookAt) {
      await roundTrip();
      announce(runId, expectedVersion + 1, lookAt, write.updatedAt);
      const run = stored.get(runId);
      if (run?.version !== expectedVersion) return false;
      stored.set(runId, applied(run, copy(write)));
      return true;
    },
    async removeOutbox(runId, entries) {
      await roundTrip();
      const run = stored.get(runId);
      if (run) run.outbox = without(run.outbox, entries);
    },
    async due(now, limit) {
      await roundTrip();
      const marks = watch.due(now, limit);
      return marks.map((m) => ({ runId: m.id, intent: m.intent, announcedAt: m.announcedAt }));
    },
    async settle(watched, lookAt) {
      await roundTrip();
      watch.settle(watched.runId, watched.intent, lookAt);
    },
    async oldestWaitingForSlot(jobKey) {
      await roundTrip();
      const waiting = [...stored.values()].filter(
        (run) => run.jobKey === jobKey && run.status === "Dispatching" && run.waitingForSlot,
      );
      waiting.sort(
        (a, b) => compare(a.approvedAt ?? "", b.approvedAt ?? "") || compare(a.runId, b.runId),
      );
      return waiting[0]?.runId ?? null;
    },
    async waitingForDecisionOf(personId, limit) {
      await roundTrip();
      const waiting = [...stored.values()].filter((run) => waitsForDecisionOf(run, personId));
      return waiting.sort(byCreation).slice(0, limit).map(glanceOf);
    },
    async latestRequestedBy(personId, limit) {
      await roundTrip();
      const mine = [...stored.values()].filter((run) => run.requestedBy === personId);
      return mine
        .sort((a, b) => byCreation(b, a))
        .slice(0, limit)
        .map(glanceOf);
    },
  };
}

const byCreation = (a: Run, b: Run) =>
  compare(a.createdAt, b.createdAt) || compare(a.runId, b.runId);

function glanceOf(run: Run): RunGlance {
  const { runId, jobKey, parameters, status, createdAt, requestedBy } = run;
  const glance = { runId, jobKey, parameters, status, createdAt };
  return copy(requestedBy === undefined ? glance : { ...glance, requestedBy });
}

/** As MongoDB orders strings: by code unit. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function applied(run: Run, write: RunWrite): Run {
  return {
    ...run,
    status: write.status,
    attempt: write.attempt,
    lastHeartbeatAt: write.lastHeartbeatAt,
    approvedAt: write.approvedAt,
    waitingForSlot: write.waitingForSlot,
    updatedAt: write.updatedAt,
    version: run.version + 1,
    events: [...run.events, ...write.events],
    outbox: [...run.outbox, ...write.outbox],
    processed: [...run.processed, ...write.processed],
  };
}

export type InMemoryInboxStore = InboxStore & {
  readonly stored: Map<string, InboxEntry>;
  readonly watched: () => Map<string, string>;
};

export function inMemoryInboxStore(): InMemoryInboxStore {
  const stored = new Map<string, InboxEntry & { announced: number }>();
  const watch = watchList();
  const idOf = (key: InboxKey) => `${key.channelId}:${key.providerMessageId}`;
  const keyOf = (id: string): InboxKey => {
    const colon = id.indexOf(":");
    return { channelId: id.slice(0, colon), providerMessageId: id.slice(colon + 1) };
  };
  const entryOf = ({ announced: _, ...entry }: InboxEntry & { announced: number }) => copy(entry);
  return {
    stored,
    watched: () => new Map([...watch.marks].map(([id, mark]) => [id, mark.dueAt])),
    async record(entry) {
      await roundTrip();
      const existing = stored.get(idOf(entry));
      if (existing) return { kind: "duplicate", existing: entryOf(existing) };
      stored.set(idOf(entry), { ...copy(entry), announced: 0 });
      return { kind: "recorded" };
    },
    async setRunId(key, runId) {
      await roundTrip();
      const entry = stored.get(idOf(key));
      if (entry) entry.runId = runId;
    },
    async complete(key, answer, outbox, plan) {
      await roundTrip();
      const entry = stored.get(idOf(key));
      if (entry?.state === "done") return "already-done";
      const done = (e: typeof entry) => {
        if (!e) return;
        e.state = "done";
        e.reply = copy(answer);
      };
      if (outbox.length === 0) {
        done(entry);
        return null;
      }
      if (!plan) throw new Error("notices kept in the inbox need a look planned");
      const intent = watch.announceNext(idOf(key), plan.lookAt, plan.now);
      done(entry);
      if (entry) {
        entry.outbox.push(...copy(outbox));
        entry.announced = Math.max(entry.announced, intent);
      }
      return { key, intent, announcedAt: plan.now };
    },
    async removeOutbox(key, entries) {
      await roundTrip();
      const entry = stored.get(idOf(key));
      if (entry) entry.outbox = without(entry.outbox, entries);
    },
    async find(watched) {
      await roundTrip();
      const entry = stored.get(idOf(watched.key));
      if (!entry) return null;
      return { entry: entryOf(entry), landed: entry.announced >= watched.intent };
    },
    async due(now, limit) {
      await roundTrip();
      const marks = watch.due(now, limit);
      return marks.map((m) => ({ key: keyOf(m.id), intent: m.intent, announcedAt: m.announcedAt }));
    },
    async settle(watched, lookAt) {
      await roundTrip();
      watch.settle(idOf(watched.key), watched.intent, lookAt);
    },
  };
}

export interface Published {
  type: MessageType;
  payload: unknown;
  extras: PublishExtras;
}

export type RecordingPublisher = Publisher & {
  /** Everything confirmed, in the order confirmed. */
  readonly published: Published[];
  /** Until `release` is called, publishes of this type wait (as an unconfirmed publish does). */
  hold(type: MessageType): { release: () => void };
  /** The next publish of this type fails, as a broker outage would. */
  failNext(type: MessageType): void;
};

export function recordingPublisher(): RecordingPublisher {
  const published: Published[] = [];
  const held = new Map<MessageType, Promise<void>>();
  const failing = new Set<MessageType>();
  return {
    published,
    hold(type) {
      let resolve = () => {};
      held.set(type, new Promise<void>((r) => (resolve = r)));
      return {
        release: () => {
          held.delete(type);
          resolve();
        },
      };
    },
    failNext(type) {
      failing.add(type);
    },
    async publish<K extends MessageType>(
      type: K,
      payload: PayloadOf<K>,
      extras: PublishExtras,
    ): Promise<MessageEnvelope> {
      if (failing.delete(type)) throw new Error("broker unreachable");
      await held.get(type);
      published.push({ type, payload: copy(payload), extras });
      return newEnvelope(type, extras);
    },
  };
}

/** Run output as the workers would keep it: text per run and attempt, set by the test. */
export interface InMemoryRunOutput extends RunOutputReader {
  write(runId: string, attempt: number, text: string): void;
}

export function inMemoryRunOutput(): InMemoryRunOutput {
  const texts = new Map<string, Map<number, string>>();
  return {
    write(runId, attempt, text) {
      const attempts = texts.get(runId) ?? new Map<number, string>();
      texts.set(runId, attempts.set(attempt, (attempts.get(attempt) ?? "") + text));
    },
    attempts: (runId) =>
      Promise.resolve([...(texts.get(runId)?.keys() ?? [])].sort((a, b) => a - b)),
    read(runId, attempt) {
      const text = texts.get(runId)?.get(attempt);
      return Promise.resolve(text === undefined ? null : { text, truncated: false });
    },
  };
}
