import { RUN_OUTPUT, RunOutputChunk } from "@textops/contracts";
import type { Db } from "mongodb";
import type { RunOutputReader } from "../../app/ports.js";

/** Reads the output chunks workers keep per attempt beside each run. */
export function createRunOutputReader(db: Db): RunOutputReader {
  const chunks = db.collection(RUN_OUTPUT.collection);
  return {
    async attempts(runId) {
      const found = await chunks.distinct("attempt", { runId });
      return found.filter((a): a is number => typeof a === "number").sort((a, b) => a - b);
    },
    async read(runId, attempt) {
      const docs = await chunks.find({ runId, attempt }).sort({ seq: 1 }).toArray();
      const valid = docs.flatMap((doc) => {
        const parsed = RunOutputChunk.safeParse(doc);
        return parsed.success ? [parsed.data] : [];
      });
      if (valid.length === 0) return null;
      const truncated = (valid[0]?.seq ?? 0) > 0;
      return { text: valid.map((chunk) => chunk.text).join(""), truncated };
    },
  };
}
