import type { JobSlots } from "../app/ports.js";
import { claimSlot, releaseSlot, type SlotHolder } from "../domain/slot-holders.js";
import { copy, roundTrip } from "./in-memory-ports.js";

export type InMemoryJobSlots = JobSlots & {
  /** Each job's document: its holders and version. */
  readonly stored: Map<string, { holders: SlotHolder[]; version: number }>;
};

/** Job slots as the Mongo adapter keeps them: read, decide, compare-and-set on a version. */
export function inMemoryJobSlots(): InMemoryJobSlots {
  const stored = new Map<string, { holders: SlotHolder[]; version: number }>();
  async function change<T>(
    jobKey: string,
    decide: (holders: SlotHolder[]) => { result: T; holders: SlotHolder[] | null },
  ): Promise<T> {
    for (;;) {
      await roundTrip();
      const read = copy(stored.get(jobKey) ?? null);
      const decided = decide(read?.holders ?? []);
      if (decided.holders === null) return decided.result;
      await roundTrip(); // others read and write meanwhile, as they would between two requests
      if ((stored.get(jobKey)?.version ?? 0) === (read?.version ?? 0)) {
        stored.set(jobKey, { holders: decided.holders, version: (read?.version ?? 0) + 1 });
        return decided.result;
      }
    }
  }
  return {
    stored,
    acquire: (jobKey, claim, limit) =>
      change(jobKey, (holders) => {
        const claimed = claimSlot(holders, claim, limit);
        return { result: claimed.outcome, holders: claimed.holders };
      }),
    release: (jobKey, runId, fencedAt) =>
      change(jobKey, (holders) => {
        const left = releaseSlot(holders, runId, fencedAt);
        return { result: left !== null, holders: left };
      }),
    async holders(jobKey) {
      await roundTrip();
      return copy(stored.get(jobKey)?.holders ?? []);
    },
    async jobsWithSlots() {
      await roundTrip();
      return [...stored.keys()];
    },
  };
}
