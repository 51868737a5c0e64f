import { MongoServerError, type Db } from "mongodb";
import type { DevMessage, DevMessageStore } from "../../ports.js";

const DUPLICATE_KEY = 11000;
/** A conversation lists at most its latest this many messages. */
const LIST_LIMIT = 1000;

/**
 * The dev channel's mailbox: the collection `dev_messages`, one document per
 * delivered message, unique by the message's envelope messageId.
 */
export async function createDevMessageStore(db: Db): Promise<DevMessageStore> {
  const messages = db.collection<DevMessage>("dev_messages");
  await Promise.all([
    messages.createIndex({ messageId: 1 }, { unique: true, name: "dev_messages_message_id" }),
    messages.createIndex(
      { conversation: 1, deliveredAt: 1 },
      { name: "dev_messages_by_conversation" },
    ),
  ]);

  return {
    async record(message) {
      try {
        await messages.insertOne({ ...message });
        return "stored";
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return "duplicate";
        throw error;
      }
    },
    async list(conversation) {
      const latest = await messages
        .find(
          { conversation },
          { projection: { _id: 0 }, sort: { deliveredAt: -1, _id: -1 }, limit: LIST_LIMIT },
        )
        .toArray();
      return latest.reverse();
    },
  };
}
