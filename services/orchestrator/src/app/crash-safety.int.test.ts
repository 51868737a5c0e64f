import { QUEUES } from "@textops/contracts";
import type { Run } from "../domain/stored-run.js";
import {
  describe,
  expect,
  inject,
  rabbitAdmin,
  test,
  uniqueName,
  vhostUrl,
  vi,
  type MongoContext,
  type RabbitContext,
} from "@textops/testing";

import { MongoClient, type Db } from "mongodb";
import type { Logger } from "pino";
import { connectChannelClient } from "../testing/channel-client.js";
import { startOrchestrator } from "../testing/orchestrator-harness.js";
import type { Decorators } from "../orchestrator.js";

const T0 = Date.parse("2026-11-26T12:00:00.000Z");
const at = new Date(T0).toISOString();

interface Outcome {
  status: string;
  events: Run["events"];
  published: Record<string, unknown>;
}

/** run → yes → started → completed, with fixed ids and clock, so two runs can be compared. */
async function walkthrough(
  rabbit: RabbitContext,
  mongo: Pick<MongoContext, "db">,
  log: Logger,
  decorate?: Decorators,
): Promise<Outcome> {
  const orchestrator = await startOrchestrator({
    rabbit,
    mongo: mongo as MongoContext,
    log,
    clock: () => T0,
    runIds: ["FXK234"],
    ...(decorate ? { decorate } : {}),
  });
  const client = await connectChannelClient(rabbit.url);
  const runs = mongo.db.collection<Run>("runs");
  const statusIs = (status: string) =>
    vi.waitFor(
      async () => {
        const run = await runs.findOne({ runId: "FXK234" });
        if (run?.status !== status) throw new Error(`not ${status} yet`);
        return run;
      },
      { timeout: 15_000, interval: 25 },
    );
  await client.send("run demo", { providerMessageId: "p1", messageId: "in-1" });
  await client.send("yes FXK234", { providerMessageId: "p2", messageId: "in-2" });
  await client.publish(
    "ExecutionStarted",
    { runId: "FXK234", attempt: 1, workerId: "w1", startedAt: at },
    { messageId: "cb-1" },
  );
  await statusIs("Running");
  await client.publish(
    "ExecutionCompleted",
    {
      runId: "FXK234",
      attempt: 1,
      workerId: "w1",
      outcome: "Succeeded",
      summary: "ok",
      durationMs: 1,
      completedAt: at,
    },
    { messageId: "cb-2" },
  );
  const run = await statusIs("Succeeded");
  await client.send("status FXK234", { providerMessageId: "p3", messageId: "in-3" });
  // The sender is answered once an effect is stored; what it sends may still be on its way.
  await nothingLeftToPublish(mongo.db);
  const published: Record<string, unknown> = {};
  for (const queue of [QUEUES.outbound("dev"), QUEUES.workerDispatch]) {
    for (const m of await client.drain(queue)) published[m.messageId] = m.body;
  }
  await client.close();
  await orchestrator.stop();
  return { status: run.status, events: run.events, published };
}

/** Waits until no run and no inbox entry holds an outbox entry still to publish. */
async function nothingLeftToPublish(db: Db) {
  const pending = { "outbox.0": { $exists: true } };
  await vi.waitFor(
    async () => {
      const runs = await db.collection("runs").countDocuments(pending);
      const notices = await db.collection("inbox").countDocuments(pending);
      if (runs + notices > 0) throw new Error(`${runs} runs, ${notices} inbox entries pending`);
    },
    { timeout: 15_000, interval: 25 },
  );
}

/** Lets the real step happen, then fails the nth time it is called, as a crash would. */
function failAfter<A extends unknown[], R>(n: number, step: (...args: A) => Promise<R>) {
  let calls = 0;
  return async (...args: A): Promise<R> => {
    const result = await step(...args);
    calls += 1;
    if (calls === n) throw new Error(`interrupted after call ${n}`);
    return result;
  };
}

const interruptions: [string, (n: number) => Decorators][] = [
  ["after the inbox insert", (n) => ({ inbox: (r) => ({ ...r, record: failAfter(n, r.record) }) })],
  [
    "after the run write",
    (n) => ({
      runs: (r) => ({ ...r, insert: failAfter(n, r.insert), apply: failAfter(n, r.apply) }),
    }),
  ],
  [
    "after publishing",
    (n) => ({
      publisher: (p) => {
        const publish = failAfter(n, p.publish.bind(p));
        return {
          publish: (type, payload, extras) =>
            type === "OrchestratorReply"
              ? p.publish(type, payload, extras)
              : publish(type, payload, extras),
        };
      },
    }),
  ],
  [
    "before the ack",
    (n) => ({
      inbox: (r) => ({ ...r, complete: failAfter(n, r.complete) }),
      runs: (r) => ({ ...r, settle: failAfter(n, r.settle) }),
    }),
  ],
];

/** A second vhost and database, for the uninterrupted baseline. */
async function withSecondWorld<T>(body: (rabbit: RabbitContext, db: Db) => Promise<T>) {
  const admin = rabbitAdmin(inject("rabbitManagementUrl"));
  const client = await MongoClient.connect(inject("mongoUrl"));
  const vhost = uniqueName("test");
  const dbName = uniqueName("test");
  await admin.createVhost(vhost);
  try {
    return await body({ url: vhostUrl(inject("amqpUrl"), vhost), vhost, admin }, client.db(dbName));
  } finally {
    await client.db(dbName).dropDatabase();
    await client.close();
    await admin.deleteVhost(vhost);
  }
}

describe("crash safety", () => {
  const cases = interruptions.flatMap(([name, make]) =>
    [1, 2].map((n) => [name, n, make] as const),
  );
  test.for(cases)(
    "interrupted %s (call %i) ends exactly as without the interruption",
    async ([, n, make], { rabbit, mongo, log }) => {
      const expected = await withSecondWorld((r, db) => walkthrough(r, { db }, log));
      const actual = await walkthrough(rabbit, mongo, log, make(n));

      expect(actual.status).toBe("Succeeded");
      expect(actual.events).toEqual(expected.events);
      expect(actual.published).toEqual(expected.published);
    },
  );
});
