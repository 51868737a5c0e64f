import { describe, expect, test } from "vitest";
import { anApp, type AppHarness } from "../testing/app-harness.js";
import { T0 } from "../testing/run-builder.js";
import { executionWindows, holdApproveWrite, slotDriver } from "../testing/slot-driver.js";
import { limitedCatalog } from "../testing/test-catalog.js";

const IDS = ["DPA234", "DPB234", "DPC234", "DPD234", "DPE234"];

/** An app on the limited catalog with `count` runs of `job` asked for, none approved yet. */
async function asked(count: number, job = "deploy", ids = IDS) {
  const h = anApp({ catalog: limitedCatalog(), runIds: ids });
  for (let i = 0; i < count; i += 1) await h.text(`run ${job}`);
  return { h, d: slotDriver(h), ids: ids.slice(0, count) };
}

const holders = async (h: AppHarness, job = "deploy") =>
  (await h.slots.holders(job)).map((holder) => holder.runId);

describe("a job that runs at most one at once", () => {
  test("five approved at the same instant: one starts, four wait; each end admits the next in approval order, never two at once", async () => {
    const { h, d, ids } = await asked(5);

    await Promise.all(ids.map((id) => h.text(`yes ${id}`)));

    expect(d.dispatches()).toHaveLength(1);
    expect(d.executing()).toHaveLength(1);
    expect(d.waiting()).toHaveLength(4);
    const answers = h.answers().filter((a) => a.intentType === "ApproveRun");
    expect(answers.filter((a) => a.dispatchedExecution)).toHaveLength(1);
    for (const runId of d.waiting()) {
      expect(h.bodies()).toContain(
        `Approved. Run ${runId} waits for a free slot: job "deploy" runs at most 1 at once.`,
      );
    }

    const order = d.waiting(); // approval order; the same instant, so by run id
    let running = d.dispatches()[0]?.runId ?? "";
    for (const next of [...order, null]) {
      h.clock.now += 1_000;
      await d.started(running);
      h.clock.now += 1_000;
      await d.completed(running, "Succeeded");
      expect(d.executing()).toEqual(next === null ? [] : [next]);
      expect(await holders(h)).toEqual(next === null ? [] : [next]);
      if (next === null) break;
      expect(d.dispatches().at(-1)?.runId).toBe(next);
      expect(h.bodies()).toContain(`Run ${next} is starting: a slot of job "deploy" is free.`);
      running = next;
    }

    expect(d.dispatches().map((x) => x.runId)).toEqual([d.dispatches()[0]?.runId, ...order]);
    const windows = executionWindows([...h.runs.stored.values()]);
    expect(windows.map((w) => w.runId).sort()).toEqual([...ids].sort());
    windows.slice(1).forEach((w, i) => expect(w.from >= (windows[i]?.to ?? "")).toBe(true));
    for (const runId of order) {
      expect(d.run(runId).events.map((e) => e.type)).toEqual([
        "RunCreated",
        "ApprovalRequested",
        "RunApproved",
        "WaitingForSlot",
        "ExecutionDispatched",
        "ExecutionStarted",
        "ExecutionSucceeded",
      ]);
    }
  });

  test("waiters start in the order they were approved, whatever their run ids", async () => {
    const ids = ["ZZZ234", "YYY234", "XXX234"];
    const { h, d } = await asked(3, "deploy", ids);
    for (const id of ids) {
      await h.text(`yes ${id}`);
      h.clock.now += 1_000;
    }
    expect(d.waiting()).toEqual(["YYY234", "XXX234"]);

    await d.completed("ZZZ234", "Succeeded");
    expect(d.executing()).toEqual(["YYY234"]);
  });

  const endings: [string, (h: AppHarness, d: ReturnType<typeof slotDriver>) => Promise<unknown>][] =
    [
      ["success", (_, d) => d.completed("DPA234", "Succeeded")],
      ["failure", (_, d) => d.completed("DPA234", "Failed")],
      [
        "timeout",
        (h) => {
          h.clock.now += 60_001;
          return h.app.sweep();
        },
      ],
      ["cancel of the running one", (h) => h.text("cancel DPA234")],
      [
        "its worker lost, not run again",
        (_, d) => d.completed("DPA234", "Lost", { workerId: "w2" }),
      ],
    ];

  test.each(endings)("the slot is freed by %s, and the waiter starts", async (_, end) => {
    const { h, d } = await asked(2);
    await h.text("yes DPA234");
    await d.started("DPA234");
    await h.text("yes DPB234");
    expect(d.waiting()).toEqual(["DPB234"]);

    await end(h, d);

    expect(d.run("DPA234").status).toMatch(/^(Succeeded|Failed|TimedOut|Cancelled)$/);
    expect(d.executing()).toEqual(["DPB234"]);
    expect(await holders(h)).toEqual(["DPB234"]);
    expect(d.dispatches().map((x) => [x.runId, x.attempt])).toEqual([
      ["DPA234", 1],
      ["DPB234", 1],
    ]);
    expect(h.bodies()).toContain('Run DPB234 is starting: a slot of job "deploy" is free.');
  });

  test("a worker killed mid-job: the run stays Running and keeps its slot until it times out", async () => {
    const { h, d } = await asked(2);
    await h.text("yes DPA234");
    await d.started("DPA234");
    await d.heartbeat("DPA234");
    await h.text("yes DPB234");

    // The worker is gone: no heartbeat, no completion. Sweeps before the timeout change nothing.
    for (const after of [30_000, 60_000]) {
      h.clock.now = T0 + after;
      await h.app.sweep();
      expect(d.run("DPA234").status).toBe("Running");
      expect(d.executing()).toEqual(["DPA234"]);
      expect(d.waiting()).toEqual(["DPB234"]);
      expect(await holders(h)).toEqual(["DPA234"]);
    }

    h.clock.now = T0 + 60_001;
    expect((await h.app.sweep()).timedOut).toBe(1);
    expect(d.executing()).toEqual(["DPB234"]);
  });

  test("a worker killed mid-job: the slot is kept until another worker reports it lost", async () => {
    const { h, d } = await asked(2);
    await h.text("yes DPA234");
    await d.started("DPA234");
    await h.text("yes DPB234");
    await h.text("status DPA234");
    expect(d.executing()).toEqual(["DPA234"]);

    await d.completed("DPA234", "Lost", { workerId: "w2" });
    expect(d.run("DPA234").status).toBe("Failed");
    expect(d.executing()).toEqual(["DPB234"]);
  });

  test("a retry keeps the slot: after a lost worker and after a retryable failure", async () => {
    const { h, d } = await asked(2, "migrate");
    await h.text("yes DPA234");
    await d.started("DPA234");
    await h.text("yes DPB234");

    await d.completed("DPA234", "Lost", { workerId: "w2" });
    expect(d.run("DPA234")).toMatchObject({ status: "Dispatching", attempt: 2 });
    await d.started("DPA234", 2);
    await d.completed("DPA234", "Failed", { attempt: 2, retryable: true });
    expect(d.run("DPA234")).toMatchObject({ status: "Dispatching", attempt: 3 });

    expect(d.executing()).toEqual(["DPA234"]);
    expect(d.waiting()).toEqual(["DPB234"]);
    expect(await holders(h, "migrate")).toEqual(["DPA234"]);
    await d.started("DPA234", 3);
    await d.completed("DPA234", "Succeeded", { attempt: 3 });
    expect(d.executing()).toEqual(["DPB234"]);
  });

  test("a waiting run cancelled: no worker is told to stop, and the next waiter keeps its turn", async () => {
    const { h, d } = await asked(3);
    for (const id of ["DPA234", "DPB234", "DPC234"]) await h.text(`yes ${id}`);

    await h.text("cancel DPB234");

    expect(d.run("DPB234").status).toBe("Cancelled");
    expect(h.publisher.published.filter((p) => p.type === "ExecutionCancelRequested")).toEqual([]);
    expect(d.executing()).toEqual(["DPA234"]);
    await d.completed("DPA234", "Succeeded");
    expect(d.executing()).toEqual(["DPC234"]);
    expect(d.dispatches().map((x) => x.runId)).toEqual(["DPA234", "DPC234"]);
  });

  test("a slot freed while an approval found the job full goes to that run once it waits", async () => {
    const slow = holdApproveWrite("DPB234", "wait");
    const h = anApp({ catalog: limitedCatalog(), runIds: IDS, runs: slow.decorate });
    const d = slotDriver(h);
    await h.text("run deploy");
    await h.text("run deploy");
    await h.text("yes DPA234");
    const approving = h.text("yes DPB234"); // finds the job full; its write waits
    await expect.poll(slow.reached).toBe(true);
    await d.completed("DPA234", "Succeeded"); // frees the slot: nobody waits yet

    slow.open();
    await approving;
    expect(d.executing()).toEqual(["DPB234"]);
    expect(d.dispatches().map((x) => x.runId)).toEqual(["DPA234", "DPB234"]);
  });

  test("a job of two at once: two start, the rest wait", async () => {
    const { h, d, ids } = await asked(4, "build");
    await Promise.all(ids.map((id) => h.text(`yes ${id}`)));
    expect(d.executing()).toHaveLength(2);
    expect(d.waiting()).toHaveLength(2);

    const [first] = d.executing();
    await d.completed(first ?? "", "Succeeded");
    expect(d.executing()).toHaveLength(2);
    expect(d.waiting()).toHaveLength(1);
    expect(await holders(h, "build")).toHaveLength(2);
  });

  test("status of a waiting run says it waits, and for what", async () => {
    const { h } = await asked(2);
    await h.text("yes DPA234");
    await h.text("yes DPB234");
    await h.text("status DPB234");
    expect(h.bodies().at(-1)).toMatch(
      /^Run DPB234 \(job "deploy"\) is Dispatching, waiting for a free slot \(job "deploy" runs at most 1 at once\)\. Latest: .*WaitingForSlot\.$/,
    );
  });

  test("jobs without a limit take no slot", async () => {
    const h = anApp({ runIds: ["DMO234"] });
    await h.text("run demo");
    await h.text("yes DMO234");
    expect(await h.slots.jobsWithSlots()).toEqual([]);
  });
});
