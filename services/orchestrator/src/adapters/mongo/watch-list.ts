import type { Collection, Db } from "mongodb";
import { batchedUpdate } from "./bulk-writes.js";

/**
 * One document the sweeper must look at by `dueAt`. `intent` is the highest
 * write announced for it: a run's version, or a count of announcements.
 */
export interface Watched {
  id: string;
  intent: number;
  dueAt: string;
  announcedAt: string;
}

interface WatchDoc {
  _id: string;
  intent: number;
  dueAt: string;
  announcedAt: string;
}

/**
 * A small collection beside a large one, naming the few documents of the large
 * one the sweeper has to look at and when: runs awaiting approval or running,
 * and anything with outbox entries not yet published. A sweep reads what is
 * due here, never every document ever stored (on FerretDB 1.x any query but
 * one on `_id` alone reads a whole collection; this one stays small). The
 * large collection stays the truth; an entry is only a promise to look. With
 * no transactions, two rules keep a look from being lost:
 *
 * 1. A writer announces before it writes: it raises `intent` to the version
 *    it is about to write and brings `dueAt` forward to when the new state
 *    needs a look. A crash after the announcement leaves the look planned.
 *    A write whose new state needs no look sooner (a heartbeat) need not.
 * 2. Only one who has seen every write announced up to `intent` made (read
 *    the run at that version or later; for a document without a version, seen
 *    it carry that announcement's number) may put `dueAt` later or remove the
 *    entry, and only while `intent` is still what it read: a write announced
 *    since then raised `intent`, so a plan made from an older state is dropped.
 *
 * An entry whose write was never made (a crash between the two) is simply
 * looked at again, less often each time.
 */
export interface WatchList {
  /** Rule 1 for a versioned document. */
  announce(id: string, intent: number, dueAt: string, now: string): Promise<void>;
  /** Rule 1 for a document without a version: returns the announcement's number. */
  announceNext(id: string, dueAt: string, now: string): Promise<number>;
  /** Due by `now`, earliest first. */
  due(now: string, limit: number): Promise<Watched[]>;
  /** Rule 2: the next look (null: none), unless a write was announced after `watched`. */
  settle(watched: Pick<Watched, "id" | "intent">, dueAt: string | null): Promise<void>;
}

export async function createWatchList(db: Db, name: string): Promise<WatchList> {
  const marks: Collection<WatchDoc> = db.collection<WatchDoc>(name);
  await marks.createIndex({ dueAt: 1 }, { name: `${name}_due` });
  // Announcements and plans of concurrent callers share round trips; a guard
  // that does not match is the expected outcome of rule 2, not an error.
  const write = batchedUpdate(marks);
  return {
    async announce(id, intent, dueAt, now) {
      await write({
        updateOne: {
          filter: { _id: id },
          update: { $max: { intent }, $min: { dueAt }, $set: { announcedAt: now } },
          upsert: true,
        },
      });
    },
    async announceNext(id, dueAt, now) {
      const mark = await marks.findOneAndUpdate(
        { _id: id },
        { $inc: { intent: 1 }, $min: { dueAt }, $set: { announcedAt: now } },
        { upsert: true, returnDocument: "after" }, // FerretDB 1.x refuses a projection here
      );
      if (!mark) throw new Error(`announcing ${id} in ${name} returned nothing`);
      return mark.intent;
    },
    async due(now, limit) {
      const docs = await marks
        .find({ dueAt: { $lte: now } }, { sort: { dueAt: 1 }, limit })
        .toArray();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async settle(watched, dueAt) {
      const filter = { _id: watched.id, intent: watched.intent };
      await write(
        dueAt === null
          ? { deleteOne: { filter } }
          : { updateOne: { filter, update: { $set: { dueAt } } } },
      );
    },
  };
}
