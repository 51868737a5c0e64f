import { ENVELOPE_HEADERS, QUEUES, type OutboundMessage } from "@textops/contracts";
import { describe, expect, queueDepth, vi, withQueueReader } from "@textops/testing";
import type { Db } from "mongodb";
import request from "supertest";
import { createDevSender } from "../../channels/dev/dev-sender.js";
import type { DevMessageStore } from "../../ports.js";
import { collectReports, outbox, startDelivery } from "../../testing/delivery-harness.js";
import { startTestIngress, test } from "../../testing/ingress-harness.js";
import { createDevMessageStore } from "../mongo/dev-message.store.js";
import type { DeliveryRetry } from "./outbound-delivery.consumer.js";

const approvalRequest: OutboundMessage = {
  channelId: "dev",
  conversation: "dev:user1",
  body: "Reply YES K7Q2MX to approve or NO K7Q2MX to deny.",
  correlationId: "K7Q2MX",
  idempotencyKey: "approval-request:K7Q2MX",
};

/** The real store, counting what each delivery came to. */
async function countingStore(db: Db) {
  const store = await createDevMessageStore(db);
  const outcomes: string[] = [];
  const counting: DevMessageStore = {
    list: (conversation) => store.list(conversation),
    async record(message) {
      const outcome = await store.record(message);
      outcomes.push(`${message.idempotencyKey}:${outcome}`);
      return outcome;
    },
  };
  return { store: counting, outcomes };
}

describe("the dev channel's delivery consumer", () => {
  test("stores a key published twice once, reports nothing of it, and the conversation lists it", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const { store, outcomes } = await countingStore(mongo.db);
    const sender = createDevSender(store, Date.now);
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender });
    const reports = await collectReports(rabbit.url, log, cleanup);
    const publish = outbox(rabbit.url, log, cleanup);

    await publish(approvalRequest, "out-1");
    await publish(approvalRequest, "out-2");
    // The mailbox is unique by the key: the second copy reaches it and is not stored again.
    await vi.waitFor(() => expect(outcomes).toHaveLength(2));
    expect(outcomes).toEqual([
      "approval-request:K7Q2MX:stored",
      "approval-request:K7Q2MX:duplicate",
    ]);
    // The dev channel's mailbox is its record: a message that arrived is not reported.
    expect(reports.all()).toEqual([]);

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

describe("outbound delivery retries", () => {
  const quickRetry: DeliveryRetry = { maxAttempts: 3, delayMs: () => 30 };

  /** The real store, refusing the first `failures` deliveries as an unreachable database would. */
  async function flakyStore(db: Db, failures: number) {
    const store = await createDevMessageStore(db);
    let calls = 0;
    const flaky: DevMessageStore = {
      list: (conversation) => store.list(conversation),
      async record(message) {
        calls += 1;
        if (calls <= failures) throw new Error(`store unavailable (call ${calls})`);
        return store.record(message);
      },
    };
    return { store: flaky, calls: () => calls, real: store };
  }

  test("a delivery that fails is tried again later and stored once", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const { store, calls, real } = await flakyStore(mongo.db, 2);
    const sender = createDevSender(store, Date.now);
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender, retry: quickRetry });

    await outbox(rabbit.url, log, cleanup)(approvalRequest, "out-r1");

    await vi.waitFor(async () => expect(await real.list("dev:user1")).toHaveLength(1), {
      timeout: 10_000,
      interval: 25,
    });
    expect(calls()).toBe(3);
    expect(await queueDepth(rabbit.url, QUEUES.deadLetter(QUEUES.outbound("dev")))).toBe(0);
  });

  test("a delivery that keeps failing is dead-lettered and reported, saying it gave up", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const { store, calls } = await flakyStore(mongo.db, Number.POSITIVE_INFINITY);
    const sender = createDevSender(store, Date.now);
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender, retry: quickRetry });
    const reports = await collectReports(rabbit.url, log, cleanup);

    await outbox(rabbit.url, log, cleanup)(approvalRequest, "out-r2");

    await withQueueReader(rabbit.url, async (take) => {
      const dead = await take(QUEUES.deadLetter(QUEUES.outbound("dev")));
      expect(dead.properties.messageId).toBe("out-r2");
      expect(dead.properties.headers?.[ENVELOPE_HEADERS.deadLetterReason]).toBe(
        "gave up after 3 attempts: store unavailable (call 3)",
      );
    });
    expect(await reports.nth(1)).toMatchObject({
      idempotencyKey: "approval-request:K7Q2MX",
      outcome: "not-delivered",
      reason: "gave up after 3 attempts: store unavailable (call 3)",
    });
    expect(calls()).toBe(3);
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
    await publish(
      { ...approvalRequest, conversation: "dev:user2", body: "elsewhere", idempotencyKey: "kx" },
      "out-x",
    );

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
