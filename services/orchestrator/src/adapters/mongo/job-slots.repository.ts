import { MongoServerError, type Collection, type Db } from "mongodb";
import type { JobSlots } from "../../app/ports.js";
import { claimSlot, releaseSlot, type SlotHolder } from "../../domain/slot-holders.js";

/** One job's slots: its holders, and a version every change names and bumps. */
interface SlotsDoc {
  _id: string;
  holders: SlotHolder[];
  version: number;
}

const DUPLICATE_KEY = 11000;
/** Rounds of read, decide, compare-and-set before giving up (a transient error: the message is retried). */
const MAX_CONFLICTS = 50;

/**
 * Job slots on MongoDB: one document per job key in `job_slots`, changed only
 * by a compare-and-set on its version (the first by an insert, which the
 * primary key makes unique). No transactions and no positional operators:
 * the holders are decided in full (domain/slot-holders.ts) and written whole.
 */
export function createJobSlotsRepository(db: Db): JobSlots {
  const slots: Collection<SlotsDoc> = db.collection<SlotsDoc>("job_slots");

  /** Writes `holders` over the document read; false: someone changed it first. */
  async function write(jobKey: string, read: SlotsDoc | null, holders: SlotHolder[]) {
    if (!read) {
      try {
        await slots.insertOne({ _id: jobKey, holders, version: 1 });
        return true;
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    const filter = { _id: jobKey, version: read.version };
    const result = await slots.updateOne(filter, { $set: { holders }, $inc: { version: 1 } });
    return result.matchedCount === 1;
  }

  /** Reads, decides and writes until a write lands or nothing needs writing. */
  async function change<T>(
    jobKey: string,
    decide: (holders: SlotHolder[]) => { result: T; holders: SlotHolder[] | null },
  ): Promise<T> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts += 1) {
      const read = await slots.findOne({ _id: jobKey });
      const decided = decide(read?.holders ?? []);
      if (decided.holders === null || (await write(jobKey, read, decided.holders))) {
        return decided.result;
      }
    }
    throw new Error(`the slots of job ${jobKey} kept changing under ${MAX_CONFLICTS} attempts`);
  }

  return {
    acquire: (jobKey, claim, limit) =>
      change(jobKey, (holders) => {
        const claimed = claimSlot(holders, claim, limit);
        return { result: claimed.outcome, holders: claimed.holders };
      }),
    release: (jobKey, runId, fencedAt) =>
      change(jobKey, (holders) => {
        const left = releaseSlot(holders, runId, fencedAt);
        return { result: left !== null, holders: left };
      }),
    async holders(jobKey) {
      return (await slots.findOne({ _id: jobKey }))?.holders ?? [];
    },
    async jobsWithSlots() {
      const docs = await slots.find({}, { projection: { _id: 1 } }).toArray();
      return docs.map((doc) => doc._id);
    },
  };
}
