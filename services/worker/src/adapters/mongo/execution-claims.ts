import { MongoServerError, type Db } from "mongodb";

const DUPLICATE_KEY = 11000;

/**
 * Which worker took which attempt of a run. A dispatch can be published more
 * than once (the orchestrator's outbox is at-least-once); the claim makes the
 * job run once per attempt however often its dispatch arrives.
 */
export interface ExecutionClaims {
  /** "claimed" for the first claim of an attempt, "taken" for every later one. */
  claim: (runId: string, attempt: number, workerId: string) => Promise<"claimed" | "taken">;
}

interface Claim {
  _id: string;
  workerId: string;
  claimedAt: string;
}

export function createExecutionClaims(db: Db): ExecutionClaims {
  const claims = db.collection<Claim>("execution_claims");
  return {
    async claim(runId, attempt, workerId) {
      try {
        await claims.insertOne({
          _id: `${runId}:${attempt}`,
          workerId,
          claimedAt: new Date().toISOString(),
        });
        return "claimed";
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return "taken";
        throw error;
      }
    },
  };
}
