import type { Collection, Db, Filter } from "mongodb";
import type { Run } from "../../domain/stored-run.js";

/** What the waiter list needs to know of a run to tell whether it still waits. */
export type WaitingState = Pick<Run, "status" | "waitingForSlot" | "version">;

interface WaiterDoc {
  _id: string;
  jobKey: string;
  approvedAt: string;
  /** The version of the run write that made it wait. */
  version: number;
}

/**
 * The runs waiting for a slot of their job, kept in a small collection of
 * their own rather than found by an index on every run: the index would be
 * kept up on every run write, and on FerretDB 1.x a query other than by `_id`
 * reads the whole collection anyway. Nothing is written here on the hot path:
 * only a write that makes a run wait adds an entry, before the run write.
 * Entries are dropped lazily, by the reader, once the run is seen at or past
 * the entry's version and no longer waiting; an entry for a write still in
 * flight (run older than the entry) is passed over and kept.
 */
export interface SlotWaiters {
  /** Called before the run write that leaves the run waiting at `version`. */
  add(runId: string, jobKey: string, approvedAt: string, version: number): Promise<void>;
  /** The run waiting longest (then lowest run id) whose state, as `read` finds it, confirms it. */
  oldest(
    jobKey: string,
    read: (runId: string) => Promise<WaitingState | null>,
  ): Promise<string | null>;
}

const BATCH = 16;

export async function createSlotWaiters(db: Db): Promise<SlotWaiters> {
  const waiters: Collection<WaiterDoc> = db.collection<WaiterDoc>("slot_waiters");
  await waiters.createIndex({ jobKey: 1, approvedAt: 1, _id: 1 }, { name: "slot_waiters_order" });

  return {
    async add(runId, jobKey, approvedAt, version) {
      await waiters.updateOne(
        { _id: runId },
        { $set: { jobKey, approvedAt, version } },
        { upsert: true },
      );
    },
    async oldest(jobKey, read) {
      let after: Pick<WaiterDoc, "approvedAt" | "_id"> | null = null;
      for (;;) {
        const filter: Filter<WaiterDoc> =
          after === null
            ? { jobKey }
            : {
                jobKey,
                $or: [
                  { approvedAt: { $gt: after.approvedAt } },
                  { approvedAt: after.approvedAt, _id: { $gt: after._id } },
                ],
              };
        const page: WaiterDoc[] = await waiters
          .find(filter, { sort: { approvedAt: 1, _id: 1 }, limit: BATCH })
          .toArray();
        if (page.length === 0) return null;
        const stale: WaiterDoc[] = [];
        for (const waiter of page) {
          const run = await read(waiter._id);
          if (run?.status === "Dispatching" && run.waitingForSlot) {
            await dropStale(waiters, stale);
            return waiter._id;
          }
          if (run !== null && run.version >= waiter.version) stale.push(waiter);
        }
        await dropStale(waiters, stale);
        if (page.length < BATCH) return null;
        after = page[page.length - 1]!;
      }
    },
  };
}

/** Guarded by version: a run made to wait again since it was read keeps its entry. */
async function dropStale(waiters: Collection<WaiterDoc>, stale: WaiterDoc[]): Promise<void> {
  if (stale.length === 0) return;
  await waiters.bulkWrite(
    stale.map((w) => ({ deleteOne: { filter: { _id: w._id, version: w.version } } })),
    { ordered: false },
  );
}
