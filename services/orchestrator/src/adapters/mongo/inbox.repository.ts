import type { Collection, Db, UpdateFilter } from "mongodb";
import type { InboxEntry, InboxKey, InboxStore } from "../../app/ports.js";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";
import { createWatchList } from "./watch-list.js";

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

export async function createInboxRepository(db: Db): Promise<InboxStore> {
  const inbox: Collection<StoredEntry> = db.collection<StoredEntry>("inbox");
  const watch = await createWatchList(db, "inbox_watch");
  const byKey = (key: InboxKey) => ({ _id: idOf(key) });
  const insert = batchedInsert(inbox);
  const update = batchedUpdate(inbox);
  const updateEntry = (key: InboxKey, change: UpdateFilter<StoredEntry>) =>
    update({ updateOne: { filter: byKey(key), update: change } });
  // Two deliveries of one message can be in hand at once: only the first to finish completes it.
  const completeEntry = (key: InboxKey, change: UpdateFilter<StoredEntry>) =>
    update({ updateOne: { filter: { ...byKey(key), state: "processing" }, update: change } });

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
    async complete(key, answer, outbox, plan) {
      const done = { $set: { state: "done" as const, reply: answer } };
      if (outbox.length === 0) {
        if (await completeEntry(key, done)) return null;
        const stored = await inbox.findOne(byKey(key));
        const mine = answer !== null && stored?.reply?.inboundMessageId === answer.inboundMessageId;
        return mine ? null : "already-done";
      }
      if (!plan) throw new Error("notices kept in the inbox need a look planned");
      const intent = await watch.announceNext(idOf(key), plan.lookAt, plan.now);
      const keep = { $push: { outbox: { $each: outbox } }, $max: { announced: intent } };
      const watched = { key, intent, announcedAt: plan.now };
      if (await completeEntry(key, { ...done, ...keep })) return watched;
      // Not matched, or batched with an update that was not (then nobody hears which):
      // the announcement lands either way, so the sweeper's look finds it made.
      await updateEntry(key, { $max: { announced: intent } });
      const stored = await inbox.findOne(byKey(key));
      const mine = stored?.outbox.some((entry) => entry.messageId === outbox[0]?.messageId);
      return mine === true ? watched : "already-done";
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
