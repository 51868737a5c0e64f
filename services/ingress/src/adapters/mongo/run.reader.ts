import { Run } from "@textops/contracts";
import type { Db } from "mongodb";
import { z } from "zod";
import type { RunReader } from "../../ports.js";

/** What ingress reads of a stored run; the rest (version, outbox, processed) stays inside. */
const StoredTimeline = Run.pick({
  runId: true,
  jobKey: true,
  status: true,
  createdAt: true,
  requestedByAddress: true,
  channelId: true,
  conversationId: true,
  parameters: true,
  attempt: true,
  updatedAt: true,
  events: true,
});

/** Reads the orchestrator's `runs` collection (one document per run, events embedded). */
export function createRunReader(db: Db): RunReader {
  const runs = db.collection<{ _id: string }>("runs");
  return {
    async find(runId) {
      // Runs are stored under their id.
      const stored = await runs.findOne(
        { _id: runId },
        { projection: { _id: 0, outbox: 0, processed: 0 } },
      );
      if (!stored) return null;
      const parsed = StoredTimeline.safeParse(stored);
      if (!parsed.success) {
        throw new Error(
          `stored run ${runId} does not match the Run schema: ${z.prettifyError(parsed.error)}`,
        );
      }
      const { events, ...run } = parsed.data;
      return { run, events: [...events].sort((a, b) => a.seq - b.seq) };
    },
  };
}
