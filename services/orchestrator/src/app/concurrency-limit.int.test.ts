import { QUEUES } from "@textops/contracts";
import { describe, expect, type MongoContext } from "@textops/testing";
import type { Run } from "../domain/stored-run.js";
import type { SlotHolder } from "../domain/slot-holders.js";
import { test } from "../testing/fixtures.js";
import { T0 } from "../testing/run-builder.js";
import { executionWindows } from "../testing/slot-driver.js";
import { limitedCatalog } from "../testing/test-catalog.js";

const DEPLOYERS = QUEUES.dispatch("deployers");

const runsOf = (mongo: MongoContext) =>
  mongo.db
    .collection<Run>("runs")
    .find({}, { projection: { _id: 0 } })
    .toArray();

async function holdersOf(mongo: MongoContext, jobKey: string) {
  const slots = mongo.db.collection<{ _id: string; holders: SlotHolder[] }>("job_slots");
  return ((await slots.findOne({ _id: jobKey }))?.holders ?? []).map((h) => h.runId);
}

describe("a job that runs at most one at once, on real servers", () => {
  test("five approved at the same instant: one dispatch, four waiting; each completion dispatches the next in approval order", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    const ids = ["SMA234", "SMB234", "SMC234", "SMD234", "SME234"];
    await startOrchestrator({ runIds: ids, catalog: limitedCatalog() });
    for (const id of ids) expect((await client.send("run deploy")).runId).toBe(id);

    const answers = await Promise.all(ids.map((id) => client.send(`yes ${id}`)));
    // Each status waits for its run's approval, slot hand-over included.
    for (const id of ids) await client.send(`status ${id}`);

    expect(answers.filter((a) => a.dispatchedExecution)).toHaveLength(1);
    let dispatch = await client.take(DEPLOYERS, "ExecutionDispatch");
    expect(await client.drain(DEPLOYERS)).toEqual([]);
    const waiting = (await runsOf(mongo))
      .filter((r) => r.waitingForSlot)
      .sort((a, b) => `${a.approvedAt} ${a.runId}`.localeCompare(`${b.approvedAt} ${b.runId}`))
      .map((r) => r.runId);
    expect(waiting).toHaveLength(4);
    expect(waiting).not.toContain(dispatch.payload.runId);

    for (const next of [...waiting, null]) {
      const { runId, attempt } = dispatch.payload;
      const at = new Date().toISOString();
      await client.publish("ExecutionStarted", { runId, attempt, workerId: "w1", startedAt: at });
      await client.publish("ExecutionCompleted", {
        runId,
        attempt,
        workerId: "w1",
        outcome: "Succeeded",
        summary: "deployed",
        durationMs: 1,
        completedAt: new Date().toISOString(),
      });
      await client.send(`status ${runId}`); // answered after its callbacks and the hand-over
      expect(await holdersOf(mongo, "deploy")).toEqual(next === null ? [] : [next]);
      if (next === null) break;
      dispatch = await client.take(DEPLOYERS, "ExecutionDispatch");
      expect(dispatch.payload).toMatchObject({ runId: next, attempt: 1 });
      expect(await client.drain(DEPLOYERS)).toEqual([]);
    }

    const runs = await runsOf(mongo);
    expect(runs.map((r) => r.status)).toEqual(ids.map(() => "Succeeded"));
    const windows = executionWindows(runs);
    expect(windows).toHaveLength(5);
    windows.slice(1).forEach((w, i) => expect(w.from >= (windows[i]?.to ?? "")).toBe(true));
  });

  test("a slot document naming a finished run, written directly, is put right by the next sweep", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    const orchestrator = await startOrchestrator({
      runIds: ["RCA234", "RCB234"],
      catalog: limitedCatalog(),
    });
    await client.send("run deploy");
    await client.send("run deploy");
    await client.send("no RCA234");
    await client.send("status RCA234"); // answered once the denial has handed its slot on
    const askedAt = new Date().toISOString();
    await mongo.db
      .collection<{ _id: string; holders: SlotHolder[]; version: number }>("job_slots")
      .insertOne({
        _id: "deploy",
        holders: [{ runId: "RCA234", askedAt, forVersion: 2 }],
        version: 1,
      });

    const approved = await client.send("yes RCB234");
    expect(approved.dispatchedExecution).toBe(false);
    expect(approved.outbound[0]?.body).toBe(
      'Approved. Run RCB234 waits for a free slot: job "deploy" runs at most 1 at once.',
    );

    expect(await orchestrator.sweep()).toMatchObject({ slotsReleased: 1 });
    const dispatch = await client.take(DEPLOYERS, "ExecutionDispatch");
    expect(dispatch.payload).toMatchObject({ runId: "RCB234", attempt: 1 });
    expect(await holdersOf(mongo, "deploy")).toEqual(["RCB234"]);
  });
});

describe("a dispatch for a pool no worker serves, on real servers", () => {
  test("the requester is told once, after DISPATCH_WAIT_NOTICE_SECONDS", async ({
    startOrchestrator,
    client,
  }) => {
    let now = T0;
    const orchestrator = await startOrchestrator({
      clock: () => now,
      runIds: ["PLN234"],
      catalog: limitedCatalog(),
      dispatchWaitMs: 45_000,
    });
    await client.send("run deploy");
    await client.send("yes PLN234");
    await client.take(DEPLOYERS, "ExecutionDispatch"); // nobody serves "deployers": it waits there

    now = T0 + 44_999;
    expect((await orchestrator.sweep()).unclaimed).toBe(0);
    now = T0 + 45_000;
    expect((await orchestrator.sweep()).unclaimed).toBe(1);
    now = T0 + 450_000;
    expect((await orchestrator.sweep()).unclaimed).toBe(0);

    const bodies = (await client.drain(QUEUES.outbound("dev"))).map(
      (m) => (m.body as { body: string }).body,
    );
    expect(bodies.filter((b) => b.includes("still waiting"))).toEqual([
      'Run PLN234 is still waiting: no worker of pool "deployers" has picked it up in 45 s.',
    ]);
  });
});
