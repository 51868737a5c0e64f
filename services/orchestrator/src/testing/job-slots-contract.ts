import { expect } from "vitest";
import type { JobSlots } from "../app/ports.js";
import { T0 } from "./run-builder.js";

/*
 * What every JobSlots must do, run against the Mongo adapter
 * (adapters/mongo/store-contract.int.test.ts) and the in-memory one
 * (testing/in-memory-ports.test.ts). `open` hands out another handle on the
 * same slots, as a second orchestrator process would have.
 */

const claim = (runId: string, forVersion = 3) => ({
  runId,
  forVersion,
  at: new Date(T0).toISOString(),
});
const holding = async (slots: JobSlots, jobKey = "deploy") =>
  (await slots.holders(jobKey)).map((h) => h.runId).sort();

export const jobSlotsCases: [string, (open: () => Promise<JobSlots>) => Promise<void>][] = [
  [
    "slots are held up to the limit; then the job is full",
    async (open) => {
      const slots = await open();
      expect(await slots.acquire("deploy", claim("R1"), 2)).toBe("held");
      expect(await slots.acquire("deploy", claim("R2"), 2)).toBe("held");
      expect(await slots.acquire("deploy", claim("R3"), 2)).toBe("full");
      expect(await holding(slots)).toEqual(["R1", "R2"]);
      expect(await slots.holders("build")).toEqual([]);
      expect(await slots.acquire("build", claim("R3"), 2)).toBe("held");
    },
  ],
  [
    "a holder asking again still holds its one slot; a release frees it once",
    async (open) => {
      const slots = await open();
      expect(await slots.acquire("deploy", claim("R1"), 1)).toBe("held");
      expect(await slots.acquire("deploy", claim("R1"), 1)).toBe("held");
      expect(await slots.acquire("deploy", claim("R2"), 1)).toBe("full");
      expect(await slots.holders("deploy")).toEqual([
        { runId: "R1", askedAt: new Date(T0).toISOString(), forVersion: 3 },
      ]);
      expect(await slots.release("deploy", "R1")).toBe(true);
      expect(await slots.release("deploy", "R1")).toBe(false);
      expect(await slots.release("never", "R1")).toBe(false);
      expect(await slots.acquire("deploy", claim("R2"), 1)).toBe("held");
    },
  ],
  [
    "a release after a fence spares a slot asked for at a later version of the run",
    async (open) => {
      const slots = await open();
      await slots.acquire("deploy", claim("R1", 3), 1);
      expect(await slots.release("deploy", "R1", 2)).toBe(false);
      expect(await slots.acquire("deploy", claim("R1", 5), 1)).toBe("held");
      expect((await slots.holders("deploy"))[0]?.forVersion).toBe(5);
      expect(await slots.release("deploy", "R1", 4)).toBe(false);
      expect(await slots.release("deploy", "R1", 5)).toBe(true);
      expect(await slots.holders("deploy")).toEqual([]);
    },
  ],
  [
    "many runs asking at once, through two handles, never hold more than the limit",
    async (open) => {
      const [a, b] = [await open(), await open()];
      const ask = (i: number) => (i % 2 === 0 ? a : b).acquire("deploy", claim(`R${i}`), 3);
      const first = await Promise.all(Array.from({ length: 24 }, (_, i) => ask(i)));
      expect(first.filter((o) => o === "held")).toHaveLength(3);
      const holders = await holding(a);
      expect(holders).toHaveLength(3);

      // Releases racing new asks: every slot freed goes to one asker at most.
      const released = holders.map((runId) => b.release("deploy", runId));
      const asked = Array.from({ length: 24 }, (_, i) => ask(i + 100));
      const [, second] = await Promise.all([Promise.all(released), Promise.all(asked)]);
      const now = await holding(b);
      expect(now.length).toBeLessThanOrEqual(3);
      const heldNow = second.flatMap((o, i) => (o === "held" ? [`R${i + 100}`] : []));
      expect(now).toEqual(heldNow.sort());
    },
  ],
  [
    "every job a slot was ever taken of is listed, with or without holders",
    async (open) => {
      const slots = await open();
      expect(await slots.jobsWithSlots()).toEqual([]);
      await slots.acquire("deploy", claim("R1"), 1);
      await slots.acquire("build", claim("R2"), 1);
      await slots.release("build", "R2");
      expect((await slots.jobsWithSlots()).sort()).toEqual(["build", "deploy"]);
    },
  ],
];
