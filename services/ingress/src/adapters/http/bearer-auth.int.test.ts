import { RUN_OUTPUT, type RunEvent, type RunOutputChunk } from "@textops/contracts";
import { describe, expect } from "@textops/testing";
import type { Db } from "mongodb";
import request from "supertest";
import {
  aDirectory,
  aRun,
  startTestIngress,
  storeRun,
  test,
  type Cleanup,
} from "../../testing/ingress-harness.js";
import type { Logger } from "pino";

const RUN_ID = "K7Q2MX";
const OPEN_MODE_RUN_ID = "SEED22";

const { directory, tokens } = aDirectory({
  alice: {},
  bob: {},
  carol: {},
  dave: { roles: ["ops"] },
  root: { roles: ["admin"] },
});

const escalation: RunEvent = {
  runId: RUN_ID,
  seq: 3,
  type: "ApprovalEscalated",
  at: "2024-01-01T13:00:00.000Z",
  actor: "scheduler",
  payload: { added: ["carol"] },
};

/** Alice asked for K7Q2MX, bob may approve it, it was escalated to carol; SEED22 was made in open mode. */
async function storeRuns(db: Db): Promise<void> {
  const run = aRun({ runId: RUN_ID, requestedBy: "alice", approvers: ["bob"], attempt: 1 });
  await storeRun(db, { ...run, events: [...run.events, escalation] });
  await storeRun(db, aRun({ runId: OPEN_MODE_RUN_ID, attempt: 1 }));
  const output = (runId: string): RunOutputChunk => ({
    runId,
    attempt: 1,
    seq: 0,
    text: `output of ${runId}\n`,
    bytes: Buffer.byteLength(`output of ${runId}\n`),
    at: "2024-01-01T12:00:05.000Z",
  });
  await db
    .collection<RunOutputChunk>(RUN_OUTPUT.collection)
    .insertMany([output(RUN_ID), output(OPEN_MODE_RUN_ID)]);
}

interface Servers {
  rabbit: { url: string };
  mongo: { db: Db };
  log: Logger;
  cleanup: Cleanup;
}

/** Ingress in closed mode on the test's servers, the runs stored. */
async function closedIngress({ rabbit, mongo, log, cleanup }: Servers) {
  await storeRuns(mongo.db);
  return startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup, directory });
}

const bearer = (token: string) => `Bearer ${token}`;

describe.for([
  ["GET /runs/:runId", ""],
  ["GET /runs/:runId/logs", "/logs"],
] as const)("%s in closed mode", ([, suffix]) => {
  const path = (runId: string) => `/runs/${runId}${suffix}`;

  test("answers 401 with a Bearer challenge without a token, or with a wrong one", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await closedIngress({ rabbit, mongo, log, cleanup });
    const wrong = `${tokens.alice}x`;

    const none = await request(ingress.app).get(path(RUN_ID));
    const unknown = await request(ingress.app)
      .get(path(RUN_ID))
      .set("authorization", bearer(wrong));
    const malformed = await request(ingress.app)
      .get(path(RUN_ID))
      .set("authorization", tokens.alice);

    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(none.body).toMatchObject({ error: "authentication required" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers["www-authenticate"]).toMatch(/^Bearer\b.*error="invalid_token"/);
    expect(unknown.body).toMatchObject({ error: "invalid token" });
    expect(unknown.text).not.toContain(wrong);
    expect(malformed.status).toBe(401);
    expect(malformed.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(malformed.text).not.toContain(tokens.alice);
  });

  test.for([
    ["the requester", "alice", RUN_ID],
    ["an approver", "bob", RUN_ID],
    ["an approver escalated to", "carol", RUN_ID],
    ["an admin", "root", RUN_ID],
    ["an admin, on a run of open mode", "root", OPEN_MODE_RUN_ID],
  ] as const)(
    "answers 200 to %s (%s, %s)",
    async ([, who, runId], { rabbit, mongo, log, cleanup }) => {
      const ingress = await closedIngress({ rabbit, mongo, log, cleanup });

      const response = await request(ingress.app)
        .get(path(runId))
        .set("authorization", bearer(tokens[who]));

      expect(response.status).toBe(200);
      if (suffix === "") expect(response.body).toMatchObject({ run: { runId } });
      else expect(response.text).toBe(`output of ${runId}\n`);
    },
  );

  test.for([
    ["someone else", "dave", RUN_ID],
    ["a non-admin, on a run of open mode", "alice", OPEN_MODE_RUN_ID],
  ] as const)(
    "answers %s (%s, %s) 404, exactly as for a run that does not exist",
    async ([, who, runId], { rabbit, mongo, log, cleanup }) => {
      const ingress = await closedIngress({ rabbit, mongo, log, cleanup });
      const asThem = (id: string) =>
        request(ingress.app).get(path(id)).set("authorization", bearer(tokens[who]));

      const hidden = await asThem(runId);
      const missing = await asThem("ABCDEF");

      expect(hidden.status).toBe(404);
      expect(hidden.text).toBe(missing.text);
      expect(hidden.headers["content-type"]).toBe(missing.headers["content-type"]);
      expect(hidden.body).toEqual({ error: "run not found" });
    },
  );
});

describe("GET /dev/conversations/:conversation/messages in closed mode", () => {
  const messages = (conversation: string) => `/dev/conversations/${conversation}/messages`;

  test("needs a token of a person", async ({ rabbit, mongo, log, cleanup }) => {
    const ingress = await closedIngress({ rabbit, mongo, log, cleanup });

    const none = await request(ingress.app).get(messages("alice"));
    const wrong = await request(ingress.app)
      .get(messages("alice"))
      .set("authorization", bearer("not-a-token-of-anyone"));

    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(wrong.status).toBe(401);
  });

  test("shows a person their own conversation, and an admin anyone's", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await closedIngress({ rabbit, mongo, log, cleanup });

    const own = await request(ingress.app)
      .get(messages("dev:alice"))
      .set("authorization", bearer(tokens.alice));
    const bare = await request(ingress.app)
      .get(messages("alice"))
      .set("authorization", bearer(tokens.alice));
    const admin = await request(ingress.app)
      .get(messages("alice"))
      .set("authorization", bearer(tokens.root));

    for (const response of [own, bare, admin]) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ conversation: "dev:alice", messages: [] });
    }
  });

  test("answers 404 for someone else's conversation", async ({ rabbit, mongo, log, cleanup }) => {
    const ingress = await closedIngress({ rabbit, mongo, log, cleanup });

    const response = await request(ingress.app)
      .get(messages("alice"))
      .set("authorization", bearer(tokens.bob));

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: "conversation not found" });
  });
});

describe("probes in closed mode", () => {
  test("GET /healthz and /readyz need no token", async ({ rabbit, mongo, log, cleanup }) => {
    const ingress = await closedIngress({ rabbit, mongo, log, cleanup });

    const health = await request(ingress.app).get("/healthz");
    const ready = await request(ingress.app).get("/readyz");

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
  });
});

describe("reads in open mode", () => {
  test("need no token, and ignore one given", async ({ rabbit, mongo, log, cleanup }) => {
    await storeRuns(mongo.db);
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const run = await request(ingress.app).get(`/runs/${RUN_ID}`);
    const logs = await request(ingress.app).get(`/runs/${OPEN_MODE_RUN_ID}/logs`);
    const conversation = await request(ingress.app)
      .get("/dev/conversations/bob/messages")
      .set("authorization", "Bearer whatever");

    expect(run.status).toBe(200);
    expect(logs.status).toBe(200);
    expect(conversation.status).toBe(200);
  });
});
