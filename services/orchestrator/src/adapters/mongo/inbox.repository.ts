import type { Collection, Db, UpdateFilter } from "mongodb";
import type { OrchestratorReply } from "@textops/contracts";
import type { OutboxEntry } from "../../domain/stored-run.js";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";
import { createWatchList } from "./watch-list.js";

export interface InboxKey {
  channelId: string;
  providerMessageId: string;
}

/** What the orchestrator remembers of a message it took in. */
export interface InboxEntry extends InboxKey {
  messageId: string;
  /** The clock value decisions about this message use, kept so a replay decides the same. */
  receivedAt: string;
  /**
   * "done" once a message answered by a reply alone has that reply stored.
   * A message that changed a run stays "processing": the run's `processed`
   * list holds its effect and answer, so one write less per message.
   */
  state: "processing" | "done";
  runId: string | null;
  reply: OrchestratorReply | null;
  /** Replies that changed no run wait here until published. */
  outbox: OutboxEntry[];
}

export type InboxResult = { kind: "recorded" } | { kind: "duplicate"; existing: InboxEntry };

/** An entry whose replies the sweeper has to look at, and the last announcement for it. */
export interface WatchedInbox {
  key: InboxKey;
  intent: number;
  announcedAt: string;
}

/** When the sweeper must look at replies kept in the inbox, and the time it is now. */
export interface LookPlan {
  now: string;
  lookAt: string;
}

export interface InboxRepository {
  /** Records a message once; the same (channelId, providerMessageId) again is a duplicate. */
  record: (entry: InboxEntry) => Promise<InboxResult>;
  setRunId: (key: InboxKey, runId: string) => Promise<void>;
  /**
   * Marks the message done, with its answer and the replies still to publish.
   * Replies are first announced to the sweeper (look at them by `plan.lookAt`,
   * see watch-list.ts); the announcement is returned, to be settled once they
   * are published.
   */
  complete: (
    key: InboxKey,
    reply: OrchestratorReply | null,
    outbox: OutboxEntry[],
    plan?: LookPlan,
  ) => Promise<WatchedInbox | null>;
  removeOutbox: (key: InboxKey, entries: OutboxEntry[]) => Promise<void>;
  /** The entry, and whether every write announced up to `watched` has been made. */
  find: (watched: WatchedInbox) => Promise<{ entry: InboxEntry; landed: boolean } | null>;
  /** Entries to look at by `now`, earliest first. */
  due: (now: string, limit: number) => Promise<WatchedInbox[]>;
  /** The next look (null: none), unless a write was announced after `watched`. */
  settle: (watched: WatchedInbox, lookAt: string | null) => Promise<void>;
}

/**
 * An entry is stored under "<channelId>:<providerMessageId>" (a channel id
 * holds no colon), so the primary key itself makes a message unique and every
 * lookup is by primary key.
 */
type StoredEntry = InboxEntry & {
  _id: string;
  /** The number of the last announcement whose write was made (see watch-list.ts). */
  announced?: number;
};

const idOf = (key: InboxKey) => `${key.channelId}:${key.providerMessageId}`;

/** The key back from an _id: the first ":" ends the channel id. */
function keyOf(id: string): InboxKey {
  const colon = id.indexOf(":");
  return { channelId: id.slice(0, colon), providerMessageId: id.slice(colon + 1) };
}

export async function createInboxRepository(db: Db): Promise<InboxRepository> {
  const inbox: Collection<StoredEntry> = db.collection<StoredEntry>("inbox");
  const watch = await createWatchList(db, "inbox_watch");
  const byKey = (key: InboxKey) => ({ _id: idOf(key) });
  const insert = batchedInsert(inbox);
  const update = batchedUpdate(inbox);
  const updateEntry = (key: InboxKey, change: UpdateFilter<StoredEntry>) =>
    update({ updateOne: { filter: byKey(key), update: change } });

  return {
    async record(entry) {
      if ((await insert({ _id: idOf(entry), ...entry })) === "inserted") {
        return { kind: "recorded" };
      }
      const stored = { projection: { _id: 0, announced: 0 } };
      const existing = await inbox.findOne(byKey(entry), stored);
      if (!existing) throw new Error(`inbox entry ${idOf(entry)} is taken but cannot be read`);
      return { kind: "duplicate", existing };
    },
    async setRunId(key, runId) {
      await inbox.updateOne(byKey(key), { $set: { runId } });
    },
    async complete(key, reply, outbox, plan) {
      const done = { $set: { state: "done" as const, reply } };
      if (outbox.length === 0) {
        await updateEntry(key, done);
        return null;
      }
      if (!plan) throw new Error("replies kept in the inbox need a look planned");
      const intent = await watch.announceNext(idOf(key), plan.lookAt, plan.now);
      const keep = { $push: { outbox: { $each: outbox } }, $max: { announced: intent } };
      await updateEntry(key, { ...done, ...keep });
      return { key, intent, announcedAt: plan.now };
    },
    async removeOutbox(key, entries) {
      if (entries.length === 0) return;
      await updateEntry(key, { $pullAll: { outbox: entries } });
    },
    async find(watched) {
      const doc = await inbox.findOne(byKey(watched.key), { projection: { _id: 0 } });
      if (!doc) return null;
      const { announced, ...entry } = doc;
      return { entry, landed: (announced ?? 0) >= watched.intent };
    },
    async due(now, limit) {
      const marks = await watch.due(now, limit);
      return marks.map((m) => ({ key: keyOf(m.id), intent: m.intent, announcedAt: m.announcedAt }));
    },
    settle: (watched, lookAt) =>
      watch.settle({ id: idOf(watched.key), intent: watched.intent }, lookAt),
  };
}
