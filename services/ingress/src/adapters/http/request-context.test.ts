import type { RunTimeline } from "@textops/contracts";
import { Writable } from "node:stream";
import { pino, type Level } from "pino";
import request from "supertest";
import { describe, expect, test } from "vitest";
import { createApp } from "../../app.js";

const SECRET = "Bearer s3cr3t-t0k3n";

const timeline: RunTimeline = {
  run: {
    runId: "K7Q2MX",
    jobKey: "demo",
    status: "AwaitingApproval",
    createdAt: "2024-01-01T12:00:00.000Z",
    requestedByAddress: "dev:user1",
    channelId: "dev",
    conversationId: "dev:user1",
    parameters: [],
    attempt: 0,
    updatedAt: "2024-01-01T12:00:00.000Z",
  },
  events: [],
};

/** The app on small fakes, logging at `level` into lines we can read. */
function appLoggingAt(level: Level) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const app = createApp({
    runs: { find: (runId) => Promise.resolve(runId === "K7Q2MX" ? timeline : null) },
    devMessages: { list: () => Promise.resolve([]) },
    inbound: { send: () => Promise.resolve("timeout"), publish: () => Promise.resolve() },
    ready: () => Promise.resolve({ broker: true, mongo: true }),
    people: { mode: "open" },
    log: pino({ level }, sink),
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { app, lines, records };
}

const getRun = (app: ReturnType<typeof appLoggingAt>["app"]) =>
  request(app)
    .get("/runs/K7Q2MX?verbose=1")
    .set("authorization", SECRET)
    .set("x-correlation-id", "corr-1")
    .set("x-custom", "shown at debug");

describe("request logging", () => {
  test("at info, one concise line per request: what was asked, how it ended, its ids", async () => {
    const { app, lines, records } = appLoggingAt("info");

    await getRun(app);

    expect(records()).toHaveLength(1);
    const [line] = records();
    expect(line).toMatchObject({
      level: 30,
      msg: "request completed",
      method: "GET",
      path: "/runs/K7Q2MX",
      status: 200,
      correlationId: "corr-1",
      runId: "K7Q2MX",
    });
    expect(line?.durationMs).toEqual(expect.any(Number));
    expect(line).not.toHaveProperty("req");
    expect(line).not.toHaveProperty("res");
    expect(lines.join("\n")).not.toContain("shown at debug");
    expect(lines.join("\n")).not.toContain("s3cr3t");
  });

  test("at debug, a second line holds the headers both ways, the secret ones redacted", async () => {
    const { app, lines, records } = appLoggingAt("debug");

    await getRun(app);

    const details = records().find((r) => r.msg === "request details");
    expect(details).toMatchObject({
      level: 20,
      correlationId: "corr-1",
      runId: "K7Q2MX",
      req: {
        method: "GET",
        url: "/runs/K7Q2MX?verbose=1",
        headers: { "x-custom": "shown at debug", authorization: "[Redacted]" },
      },
      res: { statusCode: 200, headers: { "x-correlation-id": "corr-1" } },
    });
    expect(lines.join("\n")).not.toContain("s3cr3t");
  });

  test("a failed request is a warn line of the same shape; probes are not logged", async () => {
    const { app, records } = appLoggingAt("info");

    await request(app).get("/healthz");
    await request(app).get("/runs/ABCDEF").set("x-correlation-id", "corr-2");

    expect(records()).toEqual([
      expect.objectContaining({
        level: 40,
        method: "GET",
        path: "/runs/ABCDEF",
        status: 404,
        correlationId: "corr-2",
      }),
    ]);
  });
});
