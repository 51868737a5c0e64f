import {
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
  type OptionalUnlessRequiredId,
  type WriteError,
} from "mongodb";
import { groupCommit } from "./group-commit.js";

const DUPLICATE_KEY = 11000;

export type InsertOutcome = "inserted" | "duplicate";

/**
 * Inserts documents handed in by concurrent callers, many per round trip;
 * each caller learns whether its own document went in or its _id was taken.
 */
export function batchedInsert<T extends Document>(
  collection: Collection<T>,
): (doc: OptionalUnlessRequiredId<T>) => Promise<InsertOutcome> {
  const insert = groupCommit(async (docs: OptionalUnlessRequiredId<T>[]) => {
    const outcomes: (InsertOutcome | Error)[] = docs.map(() => "inserted");
    try {
      await collection.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const raw = error.writeErrors;
      const failures = (Array.isArray(raw) ? raw : [raw]) as readonly WriteError[];
      // Per-document answers only when every document has one; a bulk error
      // without them (the connection dropped) says nothing about what was stored.
      if (failures.length === 0 || error.insertedCount + failures.length !== docs.length) {
        throw error;
      }
      for (const failure of failures) {
        outcomes[failure.index] =
          failure.code === DUPLICATE_KEY
            ? "duplicate"
            : new Error(failure.errmsg ?? "insert failed");
      }
    }
    return outcomes;
  });
  return async (doc) => {
    const outcome = await insert(doc);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
}

/**
 * Applies single-document updates handed in by concurrent callers, many per
 * round trip. Resolves true when the update's filter matched. The server
 * reports only how many matched in all, so when some did not, nobody can
 * tell which: then every caller of that batch hears false, which a
 * version-guarded caller treats as a conflict (it reads the run again and
 * finds its own change, if that one went in).
 */
export function batchedUpdate<T extends Document>(
  collection: Collection<T>,
): (update: AnyBulkWriteOperation<T>) => Promise<boolean> {
  return groupCommit(async (operations: AnyBulkWriteOperation<T>[]) => {
    const result = await collection.bulkWrite(operations, { ordered: false });
    const allMatched = result.matchedCount === operations.length;
    return operations.map(() => allMatched);
  });
}
