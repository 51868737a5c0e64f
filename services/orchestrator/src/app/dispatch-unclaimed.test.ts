import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { T0 } from "../testing/run-builder.js";
import { slotDriver } from "../testing/slot-driver.js";
import { limitedCatalog } from "../testing/test-catalog.js";

const iso = (ms: number) => new Date(ms).toISOString();
const unclaimedNotices = (bodies: string[]) => bodies.filter((b) => b.includes("still waiting"));

describe("a dispatch no worker picks up", () => {
  test("the requester is told once, after the wait and not before", async () => {
    const h = anApp({ runIds: ["UNC234"] });
    await h.text("run demo");
    await h.text("yes UNC234");
    expect(h.runs.watched().get("UNC234")).toBe(iso(T0 + 60_000));

    h.clock.now = T0 + 59_999;
    expect((await h.app.sweep()).unclaimed).toBe(0);
    expect(unclaimedNotices(h.bodies())).toEqual([]);

    h.clock.now = T0 + 60_000;
    expect((await h.app.sweep()).unclaimed).toBe(1);
    expect(unclaimedNotices(h.bodies())).toEqual([
      'Run UNC234 is still waiting: no worker of pool "default" has picked it up in 60 s.',
    ]);
    const run = h.runs.stored.get("UNC234");
    expect(run?.status).toBe("Dispatching");
    expect(run?.events.at(-1)).toMatchObject({
      type: "DispatchUnclaimed",
      actor: "scheduler",
      payload: { attempt: 1, pool: "default", waitedSeconds: 60 },
    });
    expect(h.runs.watched()).toEqual(new Map());

    h.clock.now = T0 + 600_000;
    expect((await h.app.sweep()).unclaimed).toBe(0);
    expect(unclaimedNotices(h.bodies())).toHaveLength(1);
  });

  test("a dispatch taken in time is not told about", async () => {
    const h = anApp({ runIds: ["TKN234"] });
    const d = slotDriver(h);
    await h.text("run demo");
    await h.text("yes TKN234");
    h.clock.now = T0 + 59_000;
    await d.started("TKN234");

    h.clock.now = T0 + 60_000;
    expect((await h.app.sweep()).unclaimed).toBe(0);
    expect(unclaimedNotices(h.bodies())).toEqual([]);
  });

  test("a run waiting for a slot is not told about; once admitted, its own dispatch is", async () => {
    const h = anApp({ catalog: limitedCatalog(), runIds: ["SLA234", "SLB234"] });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    await h.text("yes SLA234");
    await h.text("yes SLB234");
    expect(h.runs.watched().has("SLB234")).toBe(false);

    h.clock.now = T0 + 60_000;
    expect((await h.app.sweep()).unclaimed).toBe(1);
    expect(unclaimedNotices(h.bodies())).toEqual([
      'Run SLA234 is still waiting: no worker of pool "deployers" has picked it up in 60 s.',
    ]);

    h.clock.now = T0 + 70_000;
    await d.started("SLA234");
    await d.completed("SLA234", "Succeeded");
    expect(d.executing()).toEqual(["SLB234"]);
    h.clock.now = T0 + 129_999;
    expect((await h.app.sweep()).unclaimed).toBe(0);
    h.clock.now = T0 + 130_000;
    expect((await h.app.sweep()).unclaimed).toBe(1);
    expect(unclaimedNotices(h.bodies()).at(-1)).toBe(
      'Run SLB234 is still waiting: no worker of pool "deployers" has picked it up in 60 s.',
    );
  });

  test("each attempt's dispatch is told about once: a re-dispatch after a lost worker again", async () => {
    const h = anApp({ runIds: ["LST234"], dispatchWaitMs: 30_000 });
    const d = slotDriver(h);
    await h.text("run demo");
    await h.text("yes LST234");
    h.clock.now = T0 + 30_000;
    await h.app.sweep();
    await d.started("LST234");
    h.clock.now = T0 + 40_000;
    await d.completed("LST234", "Lost", { workerId: "w2" });

    h.clock.now = T0 + 69_999;
    expect((await h.app.sweep()).unclaimed).toBe(0);
    h.clock.now = T0 + 70_000;
    expect((await h.app.sweep()).unclaimed).toBe(1);
    const told = h.runs.stored.get("LST234")?.events.filter((e) => e.type === "DispatchUnclaimed");
    expect(told?.map((e) => e.payload)).toEqual([
      { attempt: 1, pool: "default", waitedSeconds: 30 },
      { attempt: 2, pool: "default", waitedSeconds: 30 },
    ]);
    expect(unclaimedNotices(h.bodies())).toHaveLength(2);
  });
});
