import {
  dispatchRoutingKey,
  ENVELOPE_HEADERS,
  EXCHANGES,
  QUEUES,
  RUN_ID_ALPHABET,
} from "@textops/contracts";
import {
  connectBroker,
  createPublisher,
  newEnvelope,
  publishOptions,
  type Publisher,
} from "@textops/messaging";
import {
  describe,
  expect,
  expectDeadLettered,
  garbageMessages,
  queueDepth,
  tagRun,
  withQueueReader,
  type RawMessage,
} from "@textops/testing";
import fc from "fast-check";
import type { Logger } from "pino";
import { aDispatch, next, test, type Take } from "./testing/worker.fixtures.js";

/** A run id of its own for each property run. */
function runIdOf(n: number): string {
  return Array.from({ length: 6 }, (_, i) => RUN_ID_ALPHABET[Math.floor(n / 32 ** i) % 32]).join(
    "",
  );
}

function rawPublisher(url: string, log: Logger) {
  const connection = connectBroker({ url, name: "garbage publisher", log });
  const publisher = createPublisher(connection);
  return {
    publisher,
    close: async () => {
      await publisher.close();
      await connection.close();
    },
  };
}

/** Publishes the batch, each message tagged with the run, and gives back what was sent. */
async function publishBatch(
  publisher: Publisher,
  exchange: string,
  routingKey: string,
  batch: RawMessage[],
  run: number,
): Promise<RawMessage[]> {
  const sent = batch.map((message) => tagRun(message, run));
  for (const message of sent) {
    await publisher.publishRaw(exchange, routingKey, message.content, message.properties);
  }
  return sent;
}

const batches = (garbage: fc.Arbitrary<RawMessage>) =>
  fc.array(garbage, { minLength: 1, maxLength: 4 });

describe("worker queues under arbitrary messages", () => {
  test("worker.dispatch: garbage is dead-lettered with its reason and the next dispatch still runs", async ({
    rabbit,
    log,
    orchestrator,
    workers,
  }) => {
    await workers.start();
    const { publisher, close } = rawPublisher(rabbit.url, log);
    const garbage = garbageMessages({
      validProperties: publishOptions(newEnvelope("ExecutionDispatch", { correlationId: "c" })),
      validBody: Buffer.from(JSON.stringify(aDispatch({ runId: "AAAAAA" }))),
    });
    const dead = QUEUES.deadLetter(QUEUES.workerDispatch);
    let run = 0;

    try {
      await withQueueReader(rabbit.url, (take: Take) =>
        fc.assert(
          fc.asyncProperty(batches(garbage), async (batch) => {
            run += 1;
            const sent = await publishBatch(
              publisher,
              EXCHANGES.dispatch,
              dispatchRoutingKey("default"),
              batch,
              run,
            );
            const runId = runIdOf(run);

            await orchestrator.dispatch({ runId, jobKey: "demo" });

            const reports = [await next(take), await next(take)];
            expect(reports.map((r) => [r.type, r.payload.runId])).toEqual([
              ["ExecutionStarted", runId],
              ["ExecutionCompleted", runId],
            ]);
            await expectDeadLettered(take, dead, sent, run, ENVELOPE_HEADERS.deadLetterReason);
          }),
          { numRuns: 20 },
        ),
      );
      expect(await queueDepth(rabbit.url, dead)).toBe(0);
    } finally {
      await close();
    }
  });

  test("a worker's control queue: garbage goes to textops.unroutable with its reason and the next cancel still stops its job", async ({
    rabbit,
    log,
    orchestrator,
    workers,
  }) => {
    await workers.start();
    const { publisher, close } = rawPublisher(rabbit.url, log);
    const garbage = garbageMessages({
      validProperties: publishOptions(
        newEnvelope("ExecutionCancelRequested", { correlationId: "c" }),
      ),
      validBody: Buffer.from(JSON.stringify({ runId: "AAAAAA", attempt: 1 })),
    });
    const sleepForAnHour = [{ name: "seconds", value: "3600" }];
    let run = 0;

    try {
      await withQueueReader(rabbit.url, (take: Take) =>
        fc.assert(
          fc.asyncProperty(batches(garbage), async (batch) => {
            run += 1;
            const runId = runIdOf(run);
            await orchestrator.dispatch({ runId, jobKey: "sleep", parameters: sleepForAnHour });
            expect(await next(take)).toMatchObject({
              type: "ExecutionStarted",
              correlationId: runId,
            });
            const sent = await publishBatch(publisher, EXCHANGES.control, "", batch, run);

            await orchestrator.cancel(runId, 1);

            expect(await next(take)).toMatchObject({
              type: "ExecutionCompleted",
              payload: { runId, outcome: "Failed", summary: "cancelled" },
            });
            await expectDeadLettered(
              take,
              QUEUES.unroutable,
              sent,
              run,
              ENVELOPE_HEADERS.deadLetterReason,
            );
          }),
          { numRuns: 20 },
        ),
      );
      expect(await queueDepth(rabbit.url, QUEUES.unroutable)).toBe(0);
    } finally {
      await close();
    }
  });
});
