import { ENVELOPE_HEADERS, EXCHANGES, QUEUES, type OutboundMessage } from "@textops/contracts";
import { connectBroker, createPublisher, newEnvelope, publishOptions } from "@textops/messaging";
import {
  describe,
  expect,
  expectDeadLettered,
  garbageMessages,
  queueDepth,
  tagRun,
  vi,
  withQueueReader,
} from "@textops/testing";
import fc from "fast-check";
import { startTestIngress, test } from "../../testing/ingress-harness.js";

const reply = (body: string): OutboundMessage => ({
  channelId: "dev",
  conversation: "dev:user1",
  body,
  correlationId: "K7Q2MX",
  idempotencyKey: `key:${body}`,
});

describe("outbound.dev under arbitrary messages", () => {
  test("garbage is dead-lettered with its reason and the next reply is still delivered", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });
    const connection = connectBroker({ url: rabbit.url, name: "garbage publisher", log });
    const publisher = createPublisher(connection);
    cleanup(async () => {
      await publisher.close();
      await connection.close();
    });
    const garbage = garbageMessages({
      validProperties: publishOptions(newEnvelope("OutboundMessage", { correlationId: "c" })),
      validBody: Buffer.from(JSON.stringify(reply("template"))),
    });
    const dead = QUEUES.deadLetter(QUEUES.outbound("dev"));
    const delivered = mongo.db.collection("dev_messages");
    let run = 0;

    await withQueueReader(rabbit.url, (take) =>
      fc.assert(
        fc.asyncProperty(fc.array(garbage, { minLength: 1, maxLength: 4 }), async (batch) => {
          run += 1;
          const sent = batch.map((message) => tagRun(message, run));
          for (const { content, properties } of sent) {
            await publisher.publishRaw(EXCHANGES.outbound, "outbound.dev", content, properties);
          }

          const messageId = `valid-${run}`;
          await publisher.publish("OutboundMessage", reply(`reply ${run}`), {
            messageId,
            correlationId: "K7Q2MX",
          });

          await vi.waitFor(
            async () =>
              expect(await delivered.countDocuments({ idempotencyKey: `key:reply ${run}` })).toBe(
                1,
              ),
            { timeout: 10_000, interval: 20 },
          );
          await expectDeadLettered(take, dead, sent, run, ENVELOPE_HEADERS.deadLetterReason);
        }),
        { numRuns: 25 },
      ),
    );
    expect(await queueDepth(rabbit.url, dead)).toBe(0);
    expect(await delivered.countDocuments()).toBe(run);
  });
});
