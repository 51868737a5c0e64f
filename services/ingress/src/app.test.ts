import { testLogger } from "@textops/testing";
import request from "supertest";
import { describe, expect, test } from "vitest";
import { createApp, type AppDeps } from "./app.js";
import type { RunReader } from "./ports.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An app on small fakes of ingress's own ports; the real adapters are tested against real servers. */
function appWith(deps: Partial<AppDeps> = {}) {
  return createApp({
    runs: { find: () => Promise.resolve(null) },
    devMessages: { list: () => Promise.resolve([]) },
    inbound: { send: () => Promise.resolve("timeout"), publish: () => Promise.resolve() },
    ready: () => Promise.resolve({ broker: true, mongo: true }),
    people: { mode: "open" },
    log: testLogger(),
    ...deps,
  });
}

describe(createApp.name, () => {
  test("an unknown route is a JSON 404", async () => {
    const response = await request(appWith()).get("/nowhere");

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: "not found", detail: "no route for GET /nowhere" });
  });

  test("an unexpected error is a generic 500 that leaks nothing", async () => {
    const failing: RunReader = {
      find: () => Promise.reject(new Error("connection string mongodb://admin:secret@db")),
    };

    const response = await request(appWith({ runs: failing })).get("/runs/K7Q2MX");

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: "internal error" });
    expect(response.text).not.toContain("secret");
  });

  test("a failure other than the broker's while sending is a 500, not a 503", async () => {
    const app = appWith({
      inbound: { send: () => Promise.reject(new Error("bug")), publish: () => Promise.resolve() },
    });

    const response = await request(app)
      .post("/dev/inbound")
      .send({ from: "user1", conversation: "user1", body: "help" });

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: "internal error" });
  });

  test("a request without x-correlation-id gets a fresh one", async () => {
    const response = await request(appWith()).get("/healthz");

    expect(response.headers["x-correlation-id"]).toMatch(UUID);
  });

  test("an unusable x-correlation-id is replaced", async () => {
    const response = await request(appWith())
      .get("/healthz")
      .set("x-correlation-id", "x".repeat(500));

    expect(response.headers["x-correlation-id"]).toMatch(UUID);
  });

  test("a body that is not JSON is refused with 400", async () => {
    const response = await request(appWith())
      .post("/dev/inbound")
      .set("content-type", "text/plain")
      .send("run demo");

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: "invalid request", issues: [{ path: "" }] });
  });

  test("readiness names what is not ready", async () => {
    const app = appWith({ ready: () => Promise.resolve({ broker: true, mongo: false }) });

    const response = await request(app).get("/readyz");

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: "not ready",
      checks: { broker: "ok", mongo: "unavailable" },
    });
  });
});
