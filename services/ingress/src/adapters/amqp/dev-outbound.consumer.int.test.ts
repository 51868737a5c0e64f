import type { OutboundMessage } from "@textops/contracts";
import { connectBroker, createPublisher } from "@textops/messaging";
import { describe, expect, vi } from "@textops/testing";
import request from "supertest";
import { createDevMessageStore } from "../mongo/dev-message.store.js";
import type { DevMessageStore } from "../../ports.js";
import { startTestIngress, test, type Cleanup } from "../../testing/ingress-harness.js";
import { startDevOutboundConsumer } from "./dev-outbound.consumer.js";
import type { Db } from "mongodb";
import type { Logger } from "pino";

const approvalRequest: OutboundMessage = {
  channelId: "dev",
  conversation: "dev:user1",
  body: "Reply YES K7Q2MX to approve or NO K7Q2MX to deny.",
  correlationId: "K7Q2MX",
  idempotencyKey: "approval-request:K7Q2MX",
};

/** What the orchestrator does with its outbox: publishes OutboundMessages, maybe more than once. */
function outbox(url: string, log: Logger, cleanup: Cleanup) {
  const connection = connectBroker({ url, name: "test outbox", log });
  const publisher = createPublisher(connection);
  cleanup(async () => {
    await publisher.close();
    await connection.close();
  });
  return (message: OutboundMessage, messageId: string) =>
    publisher.publish("OutboundMessage", message, { messageId, correlationId: "K7Q2MX" });
}

/** The real store, counting what each delivery came to. */
async function countingStore(db: Db) {
  const store = await createDevMessageStore(db);
  const outcomes: string[] = [];
  const counting: DevMessageStore = {
    list: (conversation) => store.list(conversation),
    async record(message) {
      const outcome = await store.record(message);
      outcomes.push(`${message.messageId}:${outcome}`);
      return outcome;
    },
  };
  return { store: counting, outcomes };
}

describe(startDevOutboundConsumer.name, () => {
  test("stores a message delivered twice once, and the conversation lists it", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const { store, outcomes } = await countingStore(mongo.db);
    const connection = connectBroker({ url: rabbit.url, name: "ingress under test", log });
    const consumer = await startDevOutboundConsumer({ connection, store, log });
    cleanup(async () => {
      await consumer.stop();
      await connection.close();
    });
    const publish = outbox(rabbit.url, log, cleanup);

    await publish(approvalRequest, "out-1");
    await publish(approvalRequest, "out-1");
    // Both deliveries are handled (in either order, they run concurrently) before listing.
    await vi.waitFor(() => expect(outcomes).toHaveLength(2));
    expect([...outcomes].sort()).toEqual(["out-1:duplicate", "out-1:stored"]);

    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });
    const response = await request(ingress.app).get("/dev/conversations/dev%3Auser1/messages");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      conversation: "dev:user1",
      messages: [
        {
          body: "Reply YES K7Q2MX to approve or NO K7Q2MX to deny.",
          correlationId: "K7Q2MX",
          idempotencyKey: "approval-request:K7Q2MX",
          channelId: "dev",
          conversation: "dev:user1",
          deliveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown,
        },
      ],
    });
  });
});

describe("GET /dev/conversations/:conversation/messages", () => {
  test("lists a conversation's messages in delivery order, by full or bare name", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });
    const publish = outbox(rabbit.url, log, cleanup);
    const bodies = ["first", "second", "third"];
    for (const [i, body] of bodies.entries()) {
      await publish({ ...approvalRequest, body, idempotencyKey: `k${i}` }, `out-${i}`);
      const listed = () => request(ingress.app).get("/dev/conversations/user1/messages");
      await vi.waitFor(
        async () => expect((await listed()).body).toMatchObject({ messages: { length: i + 1 } }),
        { timeout: 10_000, interval: 25 },
      );
    }
    await publish({ ...approvalRequest, conversation: "dev:user2", body: "elsewhere" }, "out-x");

    const byFullName = await request(ingress.app).get("/dev/conversations/dev:user1/messages");
    const byBareName = await request(ingress.app).get("/dev/conversations/user1/messages");

    const listed = byFullName.body as { messages: { body: string }[] };
    expect(listed.messages.map((m) => m.body)).toEqual(bodies);
    expect(byBareName.body).toEqual(byFullName.body);
  });

  test("lists nothing for a conversation that received nothing", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/dev/conversations/nobody/messages");

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ conversation: "dev:nobody", messages: [] });
  });
});
