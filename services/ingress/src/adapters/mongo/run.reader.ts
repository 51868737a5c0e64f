import { RUN_TIMELINES, RunTimelineFromDocument } from "@textops/contracts";
import type { Db } from "mongodb";
import { z } from "zod";
import type { RunReader } from "../../ports.js";

/** Reads run timelines from the orchestrator's read model, as the contracts describe it. */
export function createRunReader(db: Db): RunReader {
  const runs = db.collection<{ _id: string }>(RUN_TIMELINES.collection);
  return {
    async find(runId) {
      const stored = await runs.findOne(RUN_TIMELINES.byRunId(runId), {
        projection: RUN_TIMELINES.projection,
      });
      if (!stored) return null;
      const parsed = RunTimelineFromDocument.safeParse(stored);
      if (!parsed.success) {
        throw new Error(
          `stored run ${runId} does not match the run timeline: ${z.prettifyError(parsed.error)}`,
        );
      }
      return parsed.data;
    },
  };
}
