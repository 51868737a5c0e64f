import type { Collection, Db, UpdateFilter } from "mongodb";
import type { OutboxEntry, ProcessedMessage, Run, RunEvent, RunStatus } from "@textops/contracts";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";

/** A state change for one run, written in one guarded update. */
export interface RunWrite {
  status: RunStatus;
  attempt: number;
  lastHeartbeatAt: string | null;
  updatedAt: string;
  events: RunEvent[];
  outbox: OutboxEntry[];
  processed: ProcessedMessage[];
}

export interface PendingOutbox {
  runId: string;
  outbox: OutboxEntry[];
}

export interface RunRepository {
  find: (runId: string) => Promise<Run | null>;
  /** "exists" when a run with that id is already stored; it is never overwritten. */
  insert: (run: Run) => Promise<"inserted" | "exists">;
  /** Applies the write only if the run is still at `expectedVersion`. */
  apply: (runId: string, expectedVersion: number, write: RunWrite) => Promise<boolean>;
  /** Removes published entries, exactly as they were stored. */
  removeOutbox: (runId: string, entries: OutboxEntry[]) => Promise<void>;
  pendingOutbox: (occurredBefore: string, limit: number) => Promise<PendingOutbox[]>;
  awaitingApprovalExpiredBy: (now: string, limit: number) => Promise<string[]>;
  running: (limit: number) => Promise<string[]>;
}

/** A run is stored under its id, so every lookup is by primary key. */
type StoredRun = Run & { _id: string };

export async function createRunRepository(db: Db): Promise<RunRepository> {
  const runs: Collection<StoredRun> = db.collection<StoredRun>("runs");
  await Promise.all([
    runs.createIndex({ conversationId: 1, createdAt: -1 }, { name: "runs_by_conversation" }),
    runs.createIndex({ status: 1, approvalExpiresAt: 1 }, { name: "runs_by_status_expiry" }),
    runs.createIndex({ "outbox.occurredAt": 1 }, { name: "runs_pending_outbox" }),
  ]);
  const noId = { projection: { _id: 0 } } as const;
  const insert = batchedInsert(runs);
  const update = batchedUpdate(runs);

  return {
    find: (runId) => runs.findOne({ _id: runId }, noId),
    async insert(run) {
      return (await insert({ _id: run.runId, ...run })) === "inserted" ? "inserted" : "exists";
    },
    apply: (runId, expectedVersion, write) =>
      update({
        updateOne: { filter: { _id: runId, version: expectedVersion }, update: toUpdate(write) },
      }),
    async removeOutbox(runId, entries) {
      if (entries.length === 0) return;
      await update({
        updateOne: { filter: { _id: runId }, update: { $pullAll: { outbox: entries } } },
      });
    },
    async pendingOutbox(occurredBefore, limit) {
      const docs = await runs
        .find(
          { "outbox.occurredAt": { $lt: occurredBefore } },
          { projection: { _id: 0, runId: 1, outbox: 1 }, limit },
        )
        .toArray();
      return docs.map((d) => ({ runId: d.runId, outbox: d.outbox }));
    },
    async awaitingApprovalExpiredBy(now, limit) {
      const docs = await runs
        .find(
          { status: "AwaitingApproval", approvalExpiresAt: { $lte: now } },
          { projection: { _id: 0, runId: 1 }, limit },
        )
        .toArray();
      return docs.map((d) => d.runId);
    },
    async running(limit) {
      const docs = await runs
        .find({ status: "Running" }, { projection: { _id: 0, runId: 1 }, limit })
        .toArray();
      return docs.map((d) => d.runId);
    },
  };
}

function toUpdate(write: RunWrite): UpdateFilter<StoredRun> {
  const push: Record<string, { $each: unknown[] }> = {};
  if (write.events.length > 0) push.events = { $each: write.events };
  if (write.outbox.length > 0) push.outbox = { $each: write.outbox };
  if (write.processed.length > 0) push.processed = { $each: write.processed };
  return {
    $set: {
      status: write.status,
      attempt: write.attempt,
      lastHeartbeatAt: write.lastHeartbeatAt,
      updatedAt: write.updatedAt,
    },
    $inc: { version: 1 },
    ...(Object.keys(push).length > 0 ? { $push: push as UpdateFilter<StoredRun>["$push"] } : {}),
  };
}
