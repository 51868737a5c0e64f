import { MongoServerError, type Collection, type Db } from "mongodb";

const DUPLICATE_KEY = 11000;

export interface InboxKey {
  channelId: string;
  providerMessageId: string;
}

/** What the orchestrator remembers of a message it took in. */
export interface InboxEntry extends InboxKey {
  messageId: string;
  receivedAt: string;
  /** "processing" until every effect of the message is durable. */
  state: "processing" | "done";
  runId: string | null;
}

export type InboxResult = { kind: "recorded" } | { kind: "duplicate"; existing: InboxEntry };

export interface InboxRepository {
  /** Records a message once; the same (channelId, providerMessageId) again is a duplicate. */
  record(entry: InboxEntry): Promise<InboxResult>;
  find(key: InboxKey): Promise<InboxEntry | null>;
  update(key: InboxKey, fields: Partial<Pick<InboxEntry, "state" | "runId">>): Promise<void>;
}

export async function createInboxRepository(db: Db): Promise<InboxRepository> {
  const inbox: Collection<InboxEntry> = db.collection<InboxEntry>("inbox");
  await inbox.createIndex(
    { channelId: 1, providerMessageId: 1 },
    { unique: true, name: "inbox_channel_provider_message" },
  );
  const byKey = (key: InboxKey) => ({
    channelId: key.channelId,
    providerMessageId: key.providerMessageId,
  });

  async function find(key: InboxKey): Promise<InboxEntry | null> {
    return inbox.findOne(byKey(key), { projection: { _id: 0 } });
  }

  return {
    find,
    async record(entry) {
      try {
        await inbox.insertOne({ ...entry });
        return { kind: "recorded" };
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        const existing = await find(entry);
        if (!existing) throw error;
        return { kind: "duplicate", existing };
      }
    },
    async update(key, fields) {
      await inbox.updateOne(byKey(key), { $set: fields });
    },
  };
}
