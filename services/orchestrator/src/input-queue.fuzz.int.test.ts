import { ENVELOPE_HEADERS, EXCHANGES, QUEUES, type InboundMessage } from "@textops/contracts";
import { connectBroker, createPublisher, newEnvelope, publishOptions } from "@textops/messaging";
import {
  describe,
  expect,
  expectDeadLettered,
  garbageMessages,
  queueDepth,
  tagRun,
  withQueueReader,
} from "@textops/testing";
import fc from "fast-check";
import { test } from "./testing/fixtures.js";

const inbound: InboundMessage = {
  channelId: "dev",
  providerMessageId: "template",
  from: "user1",
  conversation: "user1",
  body: "run demo",
  receivedAt: "2024-01-01T12:00:00.000Z",
};

/** Where messages for orchestrator.input are published: texts and worker reports. */
const routes = fc.constantFrom(
  [EXCHANGES.inbound, "inbound.dev"] as const,
  [EXCHANGES.execution, "execution.completed"] as const,
);

describe("orchestrator.input under arbitrary messages", () => {
  test("garbage is dead-lettered with its reason and the next valid text still creates its run", async ({
    rabbit,
    mongo,
    log,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator();
    const connection = connectBroker({ url: rabbit.url, name: "garbage publisher", log });
    const publisher = createPublisher(connection);
    const garbage = garbageMessages({
      validProperties: publishOptions(newEnvelope("InboundMessage", { correlationId: "c" })),
      validBody: Buffer.from(JSON.stringify(inbound)),
    });
    const dead = QUEUES.deadLetter(QUEUES.orchestratorInput);
    let run = 0;

    try {
      await withQueueReader(rabbit.url, (take) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(garbage, routes), { minLength: 1, maxLength: 4 }),
            async (sent) => {
              run += 1;
              const batch = [];
              for (const [message, [exchange, routingKey]] of sent) {
                const tagged = tagRun(message, run);
                await publisher.publishRaw(exchange, routingKey, tagged.content, tagged.properties);
                batch.push(tagged);
              }

              const reply = await client.send("run demo", { providerMessageId: `valid-${run}` });

              expect(reply).toMatchObject({ intentType: "RunJob", duplicate: false });
              const runs = mongo.db.collection("runs");
              expect(await runs.countDocuments({ runId: reply.runId })).toBe(1);
              await expectDeadLettered(take, dead, batch, run, ENVELOPE_HEADERS.deadLetterReason);
            },
          ),
          { numRuns: 25 },
        ),
      );
      expect(await queueDepth(rabbit.url, dead)).toBe(0);
    } finally {
      await publisher.close();
      await connection.close();
    }
  });
});
