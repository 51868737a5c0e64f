import type { RunEvent } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import { MongoClient } from "mongodb";
import { aDispatch, aRun, demoJob, T0 } from "../../testing/run-builder.js";
import type { RunWrite } from "../../app/ports.js";
import type { RunDocument } from "./run-document.js";
import { createRunRepository } from "./run.repository.js";

const LATER = "2026-11-26T13:00:00.000Z";
const EVEN_LATER = "2026-11-26T14:00:00.000Z";

const aWrite = (fields: Partial<RunWrite> = {}): RunWrite => ({
  status: "Dispatching",
  attempt: 1,
  lastHeartbeatAt: null,
  approvedAt: null,
  waitingForSlot: false,
  updatedAt: "2026-11-26T12:00:01.000Z",
  events: [],
  outbox: [],
  processed: [],
  ...fields,
});

describe(createRunRepository.name, () => {
  test("a run and its pending dispatch name their job's definition, stored once, and read back whole", async ({
    mongo,
  }) => {
    const runs = await createRunRepository(mongo.db);
    const dispatch = {
      type: "ExecutionDispatch" as const,
      messageId: "m:dispatch",
      correlationId: "DEF234",
      occurredAt: new Date(T0).toISOString(),
      payload: aDispatch({ runId: "DEF234" }),
    };
    await runs.insert(aRun({ runId: "DEF234" }), null);
    await runs.insert(aRun({ runId: "DEF235" }), null);
    await runs.apply("DEF234", 3, aWrite({ outbox: [dispatch] }), null);

    const raw = await mongo.db.collection<RunDocument>("runs").findOne({ _id: "DEF234" });
    const [pending] = raw?.outbox ?? [];
    expect(raw).not.toHaveProperty("job");
    expect(pending?.payload).not.toHaveProperty("job");
    expect(raw?.jobHash).toMatch(/^[0-9a-f]{24}$/);
    expect(pending?.payload).toMatchObject({ jobHash: raw?.jobHash });
    expect(await mongo.db.collection("job_definitions").countDocuments()).toBe(1);

    const read = await runs.find("DEF234");
    expect(read?.job).toEqual(demoJob);
    expect(read?.outbox).toEqual([dispatch]);
    // Read back by another process, which has nothing in memory yet.
    const elsewhere = await createRunRepository(mongo.db);
    expect((await elsewhere.find("DEF235"))?.job).toEqual(demoJob);

    await runs.removeOutbox("DEF234", read?.outbox ?? []);
    expect((await runs.find("DEF234"))?.outbox).toEqual([]);
  });

  test("the runs index an earlier version kept for slot waiters is dropped at start-up", async ({
    mongo,
  }) => {
    const collection = mongo.db.collection("runs");
    await createRunRepository(mongo.db); // a fresh database: nothing to drop
    await collection.createIndex({ jobKey: 1, status: 1 }, { name: "runs_waiting_for_slot" });
    await createRunRepository(mongo.db);
    const names = (await collection.indexes()).map((index) => index.name);
    expect(names).not.toContain("runs_waiting_for_slot");
  });

  test("a run is stored under its run id and read back as it was written", async ({ mongo }) => {
    const runs = await createRunRepository(mongo.db);
    const run = aRun({ runId: "KEY234" });

    expect(await runs.insert(run, null)).toBe("inserted");
    expect(await runs.insert({ ...run, jobKey: "echo" }, null)).toBe("exists");

    expect(await mongo.db.collection("runs").findOne({ _id: "KEY234" as never })).toMatchObject({
      runId: "KEY234",
      jobKey: "demo",
    });
    expect(await runs.find("KEY234")).toEqual(run);
  });

  test("a write names the version it read: a stale one changes nothing", async ({ mongo }) => {
    const runs = await createRunRepository(mongo.db);
    await runs.insert(aRun({ runId: "VER234", version: 3 }), null);

    expect(await runs.apply("VER234", 2, aWrite({ status: "Denied" }), null)).toBe(false);
    expect(await runs.apply("VER234", 3, aWrite(), null)).toBe(true);
    expect(await runs.apply("VER234", 3, aWrite({ status: "Denied" }), null)).toBe(false);
    expect(await runs.apply("NONE22", 1, aWrite(), null)).toBe(false);

    expect(await runs.find("VER234")).toMatchObject({ version: 4, status: "Dispatching" });
  });

  test("a write announces when the sweeper must look; the one who saw it made plans the next look", async ({
    mongo,
  }) => {
    const runs = await createRunRepository(mongo.db);
    await runs.insert(aRun({ runId: "WAT234", version: 1 }), LATER);

    expect(await runs.due("2026-11-26T12:59:59.999Z", 10)).toEqual([]);
    const [due] = await runs.due(LATER, 10);
    expect(due).toMatchObject({ runId: "WAT234", intent: 1 });

    await runs.settle({ runId: "WAT234", intent: 1 }, EVEN_LATER);
    expect(await runs.due(LATER, 10)).toEqual([]);
    expect(await runs.due(EVEN_LATER, 10)).toHaveLength(1);

    await runs.settle({ runId: "WAT234", intent: 1 }, null);
    expect(await runs.due("9999-12-31T00:00:00.000Z", 10)).toEqual([]);
  });

  test("a plan made before a later write was announced is not stored", async ({ mongo }) => {
    const runs = await createRunRepository(mongo.db);
    await runs.insert(aRun({ runId: "RAC234", version: 1 }), LATER);
    const [seen] = await runs.due(LATER, 10); // the sweeper reads the watch list ...
    expect(seen?.intent).toBe(1);

    // ... a writer announces and makes its write, which needs an early look ...
    expect(await runs.apply("RAC234", 1, aWrite(), LATER)).toBe(true);

    // ... and the sweeper's plans from what it read before are ignored.
    await runs.settle({ runId: "RAC234", intent: 1 }, null);
    await runs.settle({ runId: "RAC234", intent: 1 }, EVEN_LATER);
    expect(await runs.due(LATER, 10)).toMatchObject([{ runId: "RAC234", intent: 2 }]);
  });

  test("an announced look only ever comes sooner, and a write without one leaves it", async ({
    mongo,
  }) => {
    const runs = await createRunRepository(mongo.db);
    await runs.insert(aRun({ runId: "MIN234", version: 1 }), EVEN_LATER);

    await runs.apply("MIN234", 1, aWrite(), "9999-12-31T00:00:00.000Z");
    await runs.apply("MIN234", 2, aWrite({ lastHeartbeatAt: LATER }), null);

    expect(await runs.due(LATER, 10)).toEqual([]);
    expect(await runs.due(EVEN_LATER, 10)).toMatchObject([{ runId: "MIN234", intent: 2 }]);
  });

  test("of writers racing from one version, exactly one wins and its write is the one stored", async ({
    mongo,
  }) => {
    /** A write that appends one event, telling the writers apart by its reason. */
    const racingWrite = (seq: number, writer: string): RunWrite => {
      const event: RunEvent = {
        runId: "K7Q2MX",
        seq,
        type: "CallbackIgnored",
        at: new Date(T0).toISOString(),
        actor: "worker:w1",
        payload: { kind: "started", attempt: 1, reason: writer },
      };
      return aWrite({ status: "AwaitingApproval", events: [event] });
    };
    // One client per writer, as with two orchestrators.
    const clients = await Promise.all([1, 2, 3, 4].map(() => MongoClient.connect(mongo.url)));
    try {
      const repositories = await Promise.all(
        clients.map((c) => createRunRepository(c.db(mongo.dbName))),
      );
      const [first] = repositories;
      await first?.insert(aRun({ version: 1 }), null);

      const winners: string[] = [];
      for (let round = 1; round <= 10; round += 1) {
        const results = await Promise.all(
          repositories.map((runs, i) =>
            runs.apply("K7Q2MX", round, racingWrite(round + 1, `round ${round} writer ${i}`), null),
          ),
        );
        expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
        winners.push(`round ${round} writer ${results.indexOf(true)}`);
      }

      const stored = await first?.find("K7Q2MX");
      expect(stored?.version).toBe(11);
      expect(
        stored?.events.slice(1).map((e) => e.type === "CallbackIgnored" && e.payload.reason),
      ).toEqual(winners);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
