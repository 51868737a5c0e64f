import type { Collection, Db } from "mongodb";
import type { OrchestratorReply, OutboxEntry } from "@textops/contracts";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";

export interface InboxKey {
  channelId: string;
  providerMessageId: string;
}

/** What the orchestrator remembers of a message it took in. */
export interface InboxEntry extends InboxKey {
  messageId: string;
  /** The clock value decisions about this message use, kept so a replay decides the same. */
  receivedAt: string;
  /** "processing" until every effect of the message is durable. */
  state: "processing" | "done";
  runId: string | null;
  reply: OrchestratorReply | null;
  /** Replies that changed no run wait here until published. */
  outbox: OutboxEntry[];
}

export type InboxResult = { kind: "recorded" } | { kind: "duplicate"; existing: InboxEntry };

export interface PendingInboxOutbox {
  key: InboxKey;
  outbox: OutboxEntry[];
}

export interface InboxRepository {
  /** Records a message once; the same (channelId, providerMessageId) again is a duplicate. */
  record: (entry: InboxEntry) => Promise<InboxResult>;
  setRunId: (key: InboxKey, runId: string) => Promise<void>;
  /** Marks the message done, with its answer and the replies still to publish. */
  complete: (
    key: InboxKey,
    reply: OrchestratorReply | null,
    outbox: OutboxEntry[],
  ) => Promise<void>;
  removeOutbox: (key: InboxKey, entries: OutboxEntry[]) => Promise<void>;
  pendingOutbox: (occurredBefore: string, limit: number) => Promise<PendingInboxOutbox[]>;
}

/**
 * An entry is stored under "<channelId>:<providerMessageId>" (a channel id
 * holds no colon), so the primary key itself makes a message unique and every
 * lookup is by primary key.
 */
type StoredEntry = InboxEntry & { _id: string };

const idOf = (key: InboxKey) => `${key.channelId}:${key.providerMessageId}`;

export async function createInboxRepository(db: Db): Promise<InboxRepository> {
  const inbox: Collection<StoredEntry> = db.collection<StoredEntry>("inbox");
  await inbox.createIndex({ "outbox.occurredAt": 1 }, { name: "inbox_pending_outbox" });
  const byKey = (key: InboxKey) => ({ _id: idOf(key) });
  const insert = batchedInsert(inbox);
  const update = batchedUpdate(inbox);
  const keyOf = (entry: InboxKey): InboxKey => ({
    channelId: entry.channelId,
    providerMessageId: entry.providerMessageId,
  });

  return {
    async record(entry) {
      if ((await insert({ _id: idOf(entry), ...entry })) === "inserted") {
        return { kind: "recorded" };
      }
      const existing = await inbox.findOne(byKey(entry), { projection: { _id: 0 } });
      if (!existing) throw new Error(`inbox entry ${idOf(entry)} is taken but cannot be read`);
      return { kind: "duplicate", existing };
    },
    async setRunId(key, runId) {
      await inbox.updateOne(byKey(key), { $set: { runId } });
    },
    async complete(key, reply, outbox) {
      await update({
        updateOne: {
          filter: byKey(key),
          update: {
            $set: { state: "done", reply },
            ...(outbox.length > 0 ? { $push: { outbox: { $each: outbox } } } : {}),
          },
        },
      });
    },
    async removeOutbox(key, entries) {
      if (entries.length === 0) return;
      await update({
        updateOne: { filter: byKey(key), update: { $pullAll: { outbox: entries } } },
      });
    },
    async pendingOutbox(occurredBefore, limit) {
      const docs = await inbox
        .find(
          { "outbox.occurredAt": { $lt: occurredBefore } },
          { projection: { _id: 0, channelId: 1, providerMessageId: 1, outbox: 1 }, limit },
        )
        .toArray();
      return docs.map((d) => ({ key: keyOf(d), outbox: d.outbox }));
    },
  };
}
