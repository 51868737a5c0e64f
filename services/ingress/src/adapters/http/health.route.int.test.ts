import { describe, expect } from "@textops/testing";
import request from "supertest";
import { startTestIngress, test } from "../../testing/ingress-harness.js";

describe("health", () => {
  test("GET /healthz answers while the process runs", async ({ rabbit, mongo, log, cleanup }) => {
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/healthz");

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  test("GET /readyz is ready when RabbitMQ and MongoDB answer", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/readyz");

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ready", checks: { broker: "ok", mongo: "ok" } });
  });

  test("GET /readyz answers 503 naming the broker when RabbitMQ is unreachable", async ({
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: "amqp://guest:guest@127.0.0.1:1",
      brokerReachable: false,
      db: mongo.db,
      log,
      cleanup,
    });

    const response = await request(ingress.app).get("/readyz");

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: "not ready",
      checks: { broker: "unavailable", mongo: "ok" },
    });
  });
});
