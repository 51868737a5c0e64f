import type { RunTimeline } from "@textops/contracts";
import request from "supertest";
import { describe, expect, test } from "vitest";
import { createApp } from "../../app.js";
import { aCapturingLogger, aDirectory } from "../../testing/ingress-harness.js";
import { readerAuth } from "./bearer-auth.js";

const { directory, tokens } = aDirectory({ alice: {} });

const timeline: RunTimeline = {
  run: {
    runId: "K7Q2MX",
    jobKey: "demo",
    status: "AwaitingApproval",
    createdAt: "2024-01-01T12:00:00.000Z",
    requestedByAddress: "dev:alice",
    requestedBy: "alice",
    channelId: "dev",
    conversationId: "dev:alice",
    parameters: [],
    attempt: 0,
    updatedAt: "2024-01-01T12:00:00.000Z",
  },
  events: [],
};

/** The app in closed mode on small fakes, logging at debug into lines we read back. */
function closedApp() {
  const { log, lines } = aCapturingLogger("debug");
  const app = createApp({
    runs: { find: (runId) => Promise.resolve(runId === "K7Q2MX" ? timeline : null) },
    devMessages: { list: () => Promise.resolve([]) },
    inbound: { send: () => Promise.resolve("timeout"), publish: () => Promise.resolve() },
    ready: () => Promise.resolve({ broker: true, mongo: true }),
    people: { mode: "closed", directory },
    log,
  });
  return { app, text: () => JSON.stringify(lines()), lines };
}

describe(readerAuth.name, () => {
  test.each([
    ["a wrong token", `Bearer ${tokens.alice.slice(0, -1)}Z-wrong`],
    ["a token without its scheme", tokens.alice],
    ["another scheme", `Basic ${tokens.alice}`],
    ["two tokens", `Bearer ${tokens.alice} ${tokens.alice}`],
  ])("a 401 for %s shows the token neither in its answer nor in the log", async (_, header) => {
    const { app, text, lines } = closedApp();
    const presented = header.replace(/^\S+ /, "").split(" ")[0] ?? "";

    const response = await request(app).get("/runs/K7Q2MX").set("authorization", header);

    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer realm="textops"/);
    expect(JSON.stringify(response.headers)).not.toContain(presented);
    expect(response.text).not.toContain(presented);
    expect(lines()).toContainEqual(expect.objectContaining({ level: 40, status: 401 }));
    expect(text()).not.toContain(presented);
  });

  test("an empty Bearer is malformed; no header at all asks for one", async () => {
    const { app } = closedApp();

    const empty = await request(app).get("/runs/K7Q2MX").set("authorization", "Bearer ");
    const none = await request(app).get("/runs/K7Q2MX");

    expect(empty.status).toBe(401);
    expect(empty.headers["www-authenticate"]).toBe(
      'Bearer realm="textops", error="invalid_request"',
    );
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="textops"');
    expect(none.body).toEqual({
      error: "authentication required",
      detail:
        "Send Authorization: Bearer <token>, with an API token of a person in the directory of people.",
    });
  });

  test("a good token reads, in any case of the scheme; the log names the person, not the token", async () => {
    const { app, text, lines } = closedApp();

    const response = await request(app)
      .get("/runs/K7Q2MX")
      .set("authorization", `bearer ${tokens.alice}`);

    expect(response.status).toBe(200);
    expect(lines()).toContainEqual(
      expect.objectContaining({ level: 30, status: 200, personId: "alice", runId: "K7Q2MX" }),
    );
    expect(text()).not.toContain(tokens.alice);
  });

  test("probes need no token", async () => {
    const { app } = closedApp();

    expect((await request(app).get("/healthz")).status).toBe(200);
    expect((await request(app).get("/readyz")).status).toBe(200);
  });
});
