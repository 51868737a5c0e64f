import type { Collection, Db, UpdateFilter } from "mongodb";
import type { RunStore, RunWrite } from "../../app/ports.js";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";
import { createJobDefinitions } from "./job-definitions.js";
import {
  fromDocument,
  toDocument,
  toStoredEntries,
  type RunDocument,
  type StoredOutboxEntry,
} from "./run-document.js";
import { createWatchList } from "./watch-list.js";

/** A run is stored under its id, so every lookup is by primary key. */
type StoredRun = RunDocument;

/**
 * The run store on MongoDB: runs, one document each under `_id` = runId, and
 * beside them the watch list of the few runs the sweeper has to look at
 * (see watch-list.ts).
 */
export async function createRunRepository(db: Db): Promise<RunStore> {
  const runs: Collection<StoredRun> = db.collection<StoredRun>("runs");
  const watch = await createWatchList(db, "runs_watch");
  await runs.createIndex(WAITING_FOR_SLOT, { name: "runs_waiting_for_slot" });
  const definitions = createJobDefinitions(db);
  const insert = batchedInsert(runs);
  const update = batchedUpdate(runs);
  const announce = (runId: string, version: number, lookAt: string | null, now: string) =>
    lookAt === null ? Promise.resolve() : watch.announce(runId, version, lookAt, now);

  return {
    async find(runId) {
      const doc = await runs.findOne({ _id: runId });
      return doc === null ? null : fromDocument(doc, definitions);
    },
    async insert(run, lookAt) {
      const doc = await toDocument(run, definitions);
      await announce(run.runId, run.version, lookAt, run.updatedAt);
      return (await insert(doc)) === "inserted" ? "inserted" : "exists";
    },
    async apply(runId, expectedVersion, write, lookAt) {
      const outbox = await toStoredEntries(write.outbox, definitions);
      await announce(runId, expectedVersion + 1, lookAt, write.updatedAt);
      return update({
        updateOne: {
          filter: { _id: runId, version: expectedVersion },
          update: toUpdate(write, outbox),
        },
      });
    },
    async removeOutbox(runId, entries) {
      if (entries.length === 0) return;
      const stored = await toStoredEntries(entries, definitions);
      await update({
        updateOne: { filter: { _id: runId }, update: { $pullAll: { outbox: stored } } },
      });
    },
    async due(now, limit) {
      const marks = await watch.due(now, limit);
      return marks.map((m) => ({ runId: m.id, intent: m.intent, announcedAt: m.announcedAt }));
    },
    settle: (watched, lookAt) =>
      watch.settle({ id: watched.runId, intent: watched.intent }, lookAt),
    async oldestWaitingForSlot(jobKey) {
      const filter = { jobKey, status: "Dispatching" as const, waitingForSlot: true };
      const sort = { approvedAt: 1, _id: 1 } as const;
      const waiting = await runs.findOne(filter, { sort, projection: { _id: 1 } });
      return waiting?._id ?? null;
    },
  };
}

/** Runs waiting for a slot of a job, in the order they are admitted. */
const WAITING_FOR_SLOT = {
  jobKey: 1,
  status: 1,
  waitingForSlot: 1,
  approvedAt: 1,
  _id: 1,
} as const;

function toUpdate(write: RunWrite, outbox: StoredOutboxEntry[]): UpdateFilter<StoredRun> {
  const push: Record<string, { $each: unknown[] }> = {};
  if (write.events.length > 0) push.events = { $each: write.events };
  if (outbox.length > 0) push.outbox = { $each: outbox };
  if (write.processed.length > 0) push.processed = { $each: write.processed };
  return {
    $set: {
      status: write.status,
      attempt: write.attempt,
      lastHeartbeatAt: write.lastHeartbeatAt,
      approvedAt: write.approvedAt,
      waitingForSlot: write.waitingForSlot,
      updatedAt: write.updatedAt,
    },
    $inc: { version: 1 },
    ...(Object.keys(push).length > 0 ? { $push: push as UpdateFilter<StoredRun>["$push"] } : {}),
  };
}
