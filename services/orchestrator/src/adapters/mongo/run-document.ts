import type { UnsignedDispatch } from "@textops/contracts";
import type { OutboxEntry, Run } from "../../domain/stored-run.js";
import type { JobDefinitions } from "./job-definitions.js";

type DispatchEntry = Extract<OutboxEntry, { type: "ExecutionDispatch" }>;
type StoredDispatch = Omit<UnsignedDispatch, "job"> & { jobHash: string };

/** An outbox entry as stored: a dispatch names its job's definition instead of holding it. */
export type StoredOutboxEntry =
  | Exclude<OutboxEntry, DispatchEntry>
  | (Omit<DispatchEntry, "payload"> & { payload: StoredDispatch });

/** A run as stored: under its id, its job's definition named, not held (see job-definitions.ts). */
export type RunDocument = Omit<Run, "job" | "outbox"> & {
  _id: string;
  jobHash: string;
  outbox: StoredOutboxEntry[];
};

export async function toDocument(run: Run, definitions: JobDefinitions): Promise<RunDocument> {
  const { job, outbox, ...rest } = run;
  const jobHash = await definitions.remember(job);
  return { _id: run.runId, ...rest, jobHash, outbox: await toStoredEntries(outbox, definitions) };
}

export async function fromDocument(doc: RunDocument, definitions: JobDefinitions): Promise<Run> {
  const { _id, jobHash, outbox, ...rest } = doc;
  const job = await definitions.recall(jobHash);
  return { ...rest, job, outbox: await fromStoredEntries(outbox, definitions) };
}

/** Entries as stored; the same entry always gives the same stored form, so $pullAll finds it. */
export function toStoredEntries(
  entries: readonly OutboxEntry[],
  definitions: JobDefinitions,
): Promise<StoredOutboxEntry[]> {
  return Promise.all(
    entries.map(async (entry): Promise<StoredOutboxEntry> => {
      if (entry.type !== "ExecutionDispatch") return entry;
      const { job, ...payload } = entry.payload;
      return { ...entry, payload: { ...payload, jobHash: await definitions.remember(job) } };
    }),
  );
}

function fromStoredEntries(
  entries: readonly StoredOutboxEntry[],
  definitions: JobDefinitions,
): Promise<OutboxEntry[]> {
  return Promise.all(
    entries.map(async (entry): Promise<OutboxEntry> => {
      if (entry.type !== "ExecutionDispatch") return entry;
      const { jobHash, ...payload } = entry.payload;
      return { ...entry, payload: { ...payload, job: await definitions.recall(jobHash) } };
    }),
  );
}
