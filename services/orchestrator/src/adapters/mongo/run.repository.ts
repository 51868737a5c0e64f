import type { Collection, Db, UpdateFilter } from "mongodb";
import type { RunGlance, RunStore, RunWrite } from "../../app/ports.js";
import { waitsForDecisionOf } from "../../domain/run-approval.js";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";
import { createJobDefinitions } from "./job-definitions.js";
import {
  fromDocument,
  toDocument,
  toStoredEntries,
  type RunDocument,
  type StoredOutboxEntry,
} from "./run-document.js";
import { createSlotWaiters, type WaitingState } from "./slot-waiters.js";
import { createWatchList } from "./watch-list.js";

/** A run is stored under its id, so every lookup is by primary key. */
type StoredRun = RunDocument;

/**
 * The run store on MongoDB: runs, one document each under `_id` = runId, and
 * beside them the watch list of the few runs the sweeper has to look at
 * (see watch-list.ts) and the list of runs waiting for a slot (slot-waiters.ts).
 */
export async function createRunRepository(db: Db): Promise<RunStore> {
  const runs: Collection<StoredRun> = db.collection<StoredRun>("runs");
  const watch = await createWatchList(db, "runs_watch");
  const waiters = await createSlotWaiters(db);
  await dropObsoleteIndex(runs, "runs_waiting_for_slot");
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
      if (waits(run)) await waiters.add(run.runId, run.jobKey, waitOrder(run), run.version);
      return (await insert(doc)) === "inserted" ? "inserted" : "exists";
    },
    async apply(runId, expectedVersion, write, lookAt) {
      const outbox = await toStoredEntries(write.outbox, definitions);
      await announce(runId, expectedVersion + 1, lookAt, write.updatedAt);
      if (waits(write)) {
        const jobKey = await jobKeyOf(runId);
        if (jobKey !== null)
          await waiters.add(runId, jobKey, waitOrder(write), expectedVersion + 1);
      }
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
    oldestWaitingForSlot: (jobKey) => waiters.oldest(jobKey, waitingState),
    // The people commands' two queries are by a field other than _id, with no
    // index on runs on purpose (an index costs every run write, and runs are
    // written far more often than people ask): MongoDB scans the collection,
    // and FerretDB 1.x reads all of it for any query not by _id. Acceptable
    // for a command a person sends now and then; what is read is projected
    // down to the few fields shown.
    async waitingForDecisionOf(personId, limit) {
      // Escalation adds approvers through events, so the store reads every
      // run awaiting approval (few: each expires within its approval TTL)
      // and the domain's rule picks this person's.
      const projection = { ...GLANCE, approvers: 1, events: 1 } as const;
      const awaiting = await runs
        .find<AwaitingDocument>({ status: "AwaitingApproval" }, { projection })
        .sort({ createdAt: 1, _id: 1 })
        .toArray();
      return awaiting
        .filter((run) => waitsForDecisionOf(run, personId))
        .slice(0, limit)
        .map(glanceOf);
    },
    async latestRequestedBy(personId, limit) {
      const latest = await runs
        .find<RunGlance>({ requestedBy: personId }, { projection: GLANCE })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .toArray();
      return latest.map(glanceOf);
    },
  };

  async function jobKeyOf(runId: string): Promise<string | null> {
    const doc = await runs.findOne({ _id: runId }, { projection: { jobKey: 1 } });
    return doc?.jobKey ?? null;
  }

  async function waitingState(runId: string): Promise<WaitingState | null> {
    const projection = { status: 1, waitingForSlot: 1, version: 1 } as const;
    return runs.findOne<WaitingState>({ _id: runId }, { projection });
  }
}

/** The fields of a run the people commands show. */
const GLANCE = {
  _id: 0,
  runId: 1,
  jobKey: 1,
  parameters: 1,
  status: 1,
  createdAt: 1,
  requestedBy: 1,
} as const;

/** What the rule of who a run waits for reads, besides. */
type AwaitingDocument = RunGlance & Pick<StoredRun, "approvers" | "events">;

function glanceOf(doc: RunGlance): RunGlance {
  const { runId, jobKey, parameters, status, createdAt, requestedBy } = doc;
  return {
    runId,
    jobKey,
    parameters,
    status,
    createdAt,
    ...(requestedBy === undefined ? {} : { requestedBy }),
  };
}

const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;

/** An index an earlier version made: left in place, it would still be kept up on every write. */
async function dropObsoleteIndex(runs: Collection<StoredRun>, name: string): Promise<void> {
  try {
    await runs.dropIndex(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== INDEX_NOT_FOUND && code !== NAMESPACE_NOT_FOUND) throw error;
  }
}

const waits = (state: Pick<RunWrite, "status" | "waitingForSlot">) =>
  state.status === "Dispatching" && state.waitingForSlot;

/** Runs are admitted in the order they were approved. */
const waitOrder = (state: Pick<RunWrite, "approvedAt" | "updatedAt">) =>
  state.approvedAt ?? state.updatedAt;

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
