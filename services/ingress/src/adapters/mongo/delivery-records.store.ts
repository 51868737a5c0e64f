import { MongoServerError, type Db } from "mongodb";
import type { Claim, DeliveryRecord, DeliveryRecords } from "../../delivery/delivery-records.js";

const DUPLICATE_KEY = 11000;

type Stored = Omit<DeliveryRecord, "idempotencyKey"> & { _id: string };

const fromStored = ({ _id, ...rest }: Stored): DeliveryRecord => ({
  idempotencyKey: _id,
  ...rest,
});

/**
 * Delivery records in the collection `deliveries`, keyed by idempotency key
 * (`_id`, unique without an index of its own).
 */
export function createDeliveryRecordStore(db: Db): DeliveryRecords {
  const records = db.collection<Stored>("deliveries");
  return {
    async claim(record, at): Promise<Claim> {
      const { idempotencyKey, ...fields } = record;
      try {
        await records.insertOne({
          _id: idempotencyKey,
          ...fields,
          state: "sending",
          providerMessageIds: [],
          claimedAt: at,
          updatedAt: at,
        });
        return { kind: "claimed" };
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
      }
      const existing = await records.findOne({ _id: idempotencyKey });
      // Released between our insert and this read: whoever held it gave up; try again later.
      if (!existing) throw new Error(`the delivery record of ${idempotencyKey} changed meanwhile`);
      return { kind: "taken", record: fromStored(existing) };
    },
    async settle(idempotencyKey, outcome, at) {
      await records.updateOne(
        { _id: idempotencyKey },
        {
          $set: {
            state: outcome.state,
            providerMessageIds: outcome.copy?.providerMessageIds ?? [],
            updatedAt: at,
            ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
          },
        },
      );
    },
    async release(idempotencyKey) {
      await records.deleteOne({ _id: idempotencyKey, state: "sending" });
    },
    async find(idempotencyKey) {
      const found = await records.findOne({ _id: idempotencyKey });
      return found ? fromStored(found) : null;
    },
  };
}
