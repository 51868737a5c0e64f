import { RUN_OUTPUT, joinOutput, outputAttempts, readOutputChunks } from "@textops/contracts";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { RunOutputReader } from "../../ports.js";

/** Reads the output workers keep beside each run (RUN_OUTPUT), as the contracts describe it. */
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
