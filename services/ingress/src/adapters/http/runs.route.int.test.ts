import { describe, expect } from "@textops/testing";
import request from "supertest";
import { aRun, storeRun, startTestIngress, test } from "../../testing/ingress-harness.js";

describe("GET /runs/:runId", () => {
  test("shows the run and its timeline in the seed's shape, without internal fields", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: "K7Q2MX" }));
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/runs/K7Q2MX");

    expect(response.status).toBe(200);
    // Byte for byte: the fields in this order, and not one more.
    expect(response.text).toBe(
      JSON.stringify({
        run: {
          runId: "K7Q2MX",
          jobKey: "demo",
          status: "AwaitingApproval",
          createdAt: "2024-01-01T12:00:00.000Z",
          requestedByAddress: "dev:user1",
          channelId: "dev",
          conversationId: "dev:user1",
          parameters: [{ name: "env", value: "staging" }],
          attempt: 0,
          updatedAt: "2024-01-01T12:00:01.000Z",
        },
        events: [
          {
            runId: "K7Q2MX",
            seq: 1,
            type: "RunCreated",
            at: "2024-01-01T12:00:00.000Z",
            actor: "user:dev:user1",
            payload: {
              jobKey: "demo",
              catalogVersion: "0123456789ab",
              parameters: [{ name: "env", value: "staging" }],
            },
          },
          {
            runId: "K7Q2MX",
            seq: 2,
            type: "ApprovalRequested",
            at: "2024-01-01T12:00:01.000Z",
            actor: "system",
            payload: { policy: "DefaultRequireApproval", expiresAt: "2024-01-02T12:00:00.000Z" },
          },
        ],
      }),
    );
  });

  test("matches the run id whatever its case", async ({ rabbit, mongo, log, cleanup }) => {
    await storeRun(mongo.db, aRun({ runId: "K7Q2MX" }));
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/runs/k7q2mx");

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ run: { runId: "K7Q2MX", status: "AwaitingApproval" } });
  });

  test("lists the events in sequence order", async ({ rabbit, mongo, log, cleanup }) => {
    const run = aRun({ runId: "K7Q2MX" });
    await storeRun(mongo.db, { ...run, events: [...run.events].reverse() });
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/runs/K7Q2MX");

    const events = (response.body as { events: { seq: number }[] }).events;
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  });

  test.for(["ABCDEF", "not-a-run-id", "K7Q2M0"])(
    "answers 404 for %s, which names no stored run",
    async (runId, { rabbit, mongo, log, cleanup }) => {
      await storeRun(mongo.db, aRun({ runId: "K7Q2MX" }));
      const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

      const response = await request(ingress.app).get(`/runs/${runId}`);

      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: "run not found" });
    },
  );
});
