import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import type { InMemoryJobSlots } from "../testing/in-memory-job-slots.js";
import { T0 } from "../testing/run-builder.js";
import { holdApproveWrite, slotDriver } from "../testing/slot-driver.js";
import { limitedCatalog } from "../testing/test-catalog.js";
import { reconcileSlots } from "./slot-reconcile.js";

const IDS = ["RCA234", "RCB234", "RCC234"];

/** Release fails once, as a crash right after a run's terminal write would leave it. */
function releaseFailsOnce(slots: InMemoryJobSlots): InMemoryJobSlots {
  let failed = false;
  return {
    ...slots,
    release: (...args) => {
      if (failed) return slots.release(...args);
      failed = true;
      return Promise.reject(new Error("database unreachable"));
    },
  };
}

describe(reconcileSlots.name, () => {
  test("a slot left held by a run that ended is released by the next sweep, and the waiter starts", async () => {
    const h = anApp({ catalog: limitedCatalog(), runIds: IDS, slots: releaseFailsOnce });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    for (const id of IDS.slice(0, 2)) await h.text(`yes ${id}`);
    await expect(d.completed("RCA234", "Succeeded")).rejects.toThrow("database unreachable");
    expect(d.run("RCA234").status).toBe("Succeeded");
    expect(d.waiting()).toEqual(["RCB234"]);

    expect((await h.app.sweep()).slotsReleased).toBe(1);
    expect(d.executing()).toEqual(["RCB234"]);
    expect((await h.app.sweep()).slotsReleased).toBe(0);
  });

  test("the redelivered callback finishes what the crash interrupted, without waiting for a sweep", async () => {
    const h = anApp({ catalog: limitedCatalog(), runIds: IDS, slots: releaseFailsOnce });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    for (const id of IDS.slice(0, 2)) await h.text(`yes ${id}`);
    await expect(d.completed("RCA234", "Succeeded")).rejects.toThrow();

    await d.completed("RCA234", "Succeeded");
    expect(d.executing()).toEqual(["RCB234"]);
    expect(d.run("RCA234").events.filter((e) => e.type === "ExecutionSucceeded")).toHaveLength(1);
  });

  test("a slot document naming a finished run, written directly, is put right by the next sweep", async () => {
    const h = anApp({ catalog: limitedCatalog(), runIds: IDS });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    await h.text("no RCA234");
    const askedAt = new Date(T0).toISOString();
    h.slots.stored.set("deploy", {
      holders: [{ runId: "RCA234", askedAt, forVersion: 3 }],
      version: 7,
    });
    await h.text("yes RCB234");
    expect(d.waiting()).toEqual(["RCB234"]);

    expect((await h.app.sweep()).slotsReleased).toBe(1);
    expect(d.executing()).toEqual(["RCB234"]);
    expect(d.dispatches().map((x) => x.runId)).toEqual(["RCB234"]);
  });

  test("an approve that crashed after taking a slot holds it no longer than a minute", async () => {
    const h = anApp({
      catalog: limitedCatalog(),
      runIds: IDS,
      runs: holdApproveWrite("RCA234", "crash").decorate,
    });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    await expect(h.text("yes RCA234", { providerMessageId: "yes-a" })).rejects.toThrow("crashed");
    await h.text("yes RCB234");
    expect(d.run("RCA234").status).toBe("AwaitingApproval");
    expect(d.waiting()).toEqual(["RCB234"]);

    h.clock.now = T0 + 60_000;
    expect((await h.app.sweep()).slotsReleased).toBe(0);
    h.clock.now = T0 + 60_001;
    const version = d.run("RCA234").version;
    expect((await h.app.sweep()).slotsReleased).toBe(1);
    expect(d.executing()).toEqual(["RCB234"]);
    // The fence: the run's version moved on, its timeline did not.
    expect(d.run("RCA234")).toMatchObject({ version: version + 1, status: "AwaitingApproval" });
    expect(d.run("RCA234").events.map((e) => e.type)).toEqual(["RunCreated", "ApprovalRequested"]);

    // The approval, delivered again, now waits its turn.
    await h.text("yes RCA234", { providerMessageId: "yes-a" });
    expect(d.waiting()).toEqual(["RCA234"]);
    expect(d.executing()).toEqual(["RCB234"]);
  });

  test("an approve still in flight when its slot is reclaimed cannot start its run", async () => {
    const slow = holdApproveWrite("RCA234", "wait");
    const h = anApp({ catalog: limitedCatalog(), runIds: IDS, runs: slow.decorate });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    const approving = h.text("yes RCA234"); // takes the slot, then its write waits
    await expect.poll(slow.reached).toBe(true);
    expect((await h.slots.holders("deploy")).map((x) => x.runId)).toEqual(["RCA234"]);
    await h.text("yes RCB234");
    expect(d.waiting()).toEqual(["RCB234"]);

    h.clock.now = T0 + 60_001;
    expect((await h.app.sweep()).slotsReleased).toBe(1);
    expect(d.executing()).toEqual(["RCB234"]);

    slow.open();
    await approving;
    expect(d.executing()).toEqual(["RCB234"]);
    expect(d.waiting()).toEqual(["RCA234"]);
    expect(d.dispatches().map((x) => x.runId)).toEqual(["RCB234"]);
  });

  test("slots of runs dispatched or running are kept, however long they take", async () => {
    const h = anApp({ catalog: limitedCatalog(), runIds: IDS });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("yes RCA234");
    h.clock.now = T0 + 3_600_000;
    expect((await h.app.sweep()).slotsReleased).toBe(0);
    await d.started("RCA234");
    h.clock.now += 59_000;
    expect((await h.app.sweep()).slotsReleased).toBe(0);
    expect((await h.slots.holders("deploy")).map((x) => x.runId)).toEqual(["RCA234"]);
  });
});
