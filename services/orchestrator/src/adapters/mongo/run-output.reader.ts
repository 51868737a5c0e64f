import {
  RUN_OUTPUT,
  joinOutput,
  outputAttempts,
  readOutputChunks,
  type RunOutputText,
} from "@textops/contracts";
import type { Db } from "mongodb";
import type { Logger } from "pino";

/**
 * What `logs <runId>` reads: the output workers keep beside each run. (Ingress
 * reads it the same way; services share the contracts' helpers, not code.)
 */
export interface RunOutputReader {
  /** The run's attempts that have output, ascending. */
  attempts(runId: string): Promise<number[]>;
  /** The attempt's kept output, or null when it has none. */
  read(runId: string, attempt: number): Promise<RunOutputText | null>;
}

/** Reads RUN_OUTPUT.collection; the orchestrator never writes it. */
export function createRunOutputReader(db: Db, { log }: { log?: Logger } = {}): RunOutputReader {
  const output = db.collection(RUN_OUTPUT.collection);
  return {
    async attempts(runId) {
      return outputAttempts(await output.distinct("attempt", RUN_OUTPUT.ofRun(runId)));
    },
    async read(runId, attempt) {
      const documents = await output
        .find(RUN_OUTPUT.ofAttempt(runId, attempt), { projection: { _id: 0 } })
        .sort(RUN_OUTPUT.inOrder)
        .toArray();
      const { chunks, invalid } = readOutputChunks(documents);
      if (invalid > 0) log?.warn({ runId, attempt, invalid }, "skipped invalid run output chunks");
      return chunks.length > 0 ? joinOutput(chunks) : null;
    },
  };
}
