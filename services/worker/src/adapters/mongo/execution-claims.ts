import { randomUUID } from "node:crypto";
import { MongoServerError, type Db } from "mongodb";
import type { ExecutionClaims } from "../../execution/ports.js";

const DUPLICATE_KEY = 11000;

interface Claim {
  _id: string;
  workerId: string;
  /** This process's own token: worker ids can repeat across restarts. */
  incarnation: string;
  claimedAt: string;
}

/** The claims in MongoDB's `execution_claims`, one document per attempt under its `_id`. */
export function createExecutionClaims(db: Db): ExecutionClaims {
  const claims = db.collection<Claim>("execution_claims");
  const incarnation = randomUUID();
  // Claims whose insert failed without an answer (the database went away):
  // the insert may have landed, and then the claim found later is our own.
  const unanswered = new Set<string>();
  return {
    async claim(runId, attempt, workerId) {
      const _id = `${runId}:${attempt}`;
      try {
        await claims.insertOne({ _id, workerId, incarnation, claimedAt: new Date().toISOString() });
        unanswered.delete(_id);
        return "claimed";
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) {
          unanswered.add(_id);
          throw error;
        }
        if (!unanswered.has(_id)) return "taken";
        const existing = await claims.findOne({ _id });
        unanswered.delete(_id);
        return existing?.incarnation === incarnation ? "claimed" : "taken";
      }
    },
  };
}
