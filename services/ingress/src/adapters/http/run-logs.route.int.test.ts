import { RUN_OUTPUT, type RunOutputChunk } from "@textops/contracts";
import { describe, expect } from "@textops/testing";
import type { Db } from "mongodb";
import request from "supertest";
import { aRun, startTestIngress, storeRun, test } from "../../testing/ingress-harness.js";

const RUN_ID = "K7Q2MX";

/** Stores an attempt's output chunks as a worker does: `[seq, text]` each. */
async function storeOutput(db: Db, attempt: number, chunks: [number, string][]): Promise<void> {
  const documents: RunOutputChunk[] = chunks.map(([seq, text]) => ({
    runId: RUN_ID,
    attempt,
    seq,
    text,
    bytes: Buffer.byteLength(text),
    at: "2024-01-01T12:00:05.000Z",
  }));
  await db.collection<RunOutputChunk>(RUN_OUTPUT.collection).insertMany(documents);
}

describe("GET /runs/:runId/logs", () => {
  test("answers the latest attempt's output as plain text, saying which attempt", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID, status: "Running", attempt: 2 }));
    await storeOutput(mongo.db, 1, [[0, "first try\n"]]);
    await storeOutput(mongo.db, 2, [
      [1, "done ✓\n"],
      [0, "second try\n"],
    ]);
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get(`/runs/${RUN_ID}/logs`);

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(response.headers["x-textops-attempt"]).toBe("2");
    expect(response.headers["x-textops-output-truncated"]).toBe("false");
    expect(response.text).toBe("second try\ndone ✓\n");
  });

  test("answers another attempt when asked, whatever the run id's case", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID, status: "Running", attempt: 2 }));
    await storeOutput(mongo.db, 1, [[0, "first try\n"]]);
    await storeOutput(mongo.db, 2, [[0, "second try\n"]]);
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get("/runs/k7q2mx/logs?attempt=1");

    expect(response.status).toBe(200);
    expect(response.headers["x-textops-attempt"]).toBe("1");
    expect(response.text).toBe("first try\n");
  });

  test("starts output whose beginning was dropped with a line that says so", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID, status: "Succeeded", attempt: 1 }));
    await storeOutput(mongo.db, 1, [
      [7, "the end\n"],
      [6, "…dle of it\n"],
    ]);
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get(`/runs/${RUN_ID}/logs`);

    expect(response.status).toBe(200);
    expect(response.headers["x-textops-output-truncated"]).toBe("true");
    expect(response.text).toBe("[earlier output dropped]\n…dle of it\nthe end\n");
  });

  test("leaves out a stored chunk that does not match the contract", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID, status: "Running", attempt: 1 }));
    await storeOutput(mongo.db, 1, [
      [0, "kept\n"],
      [2, "also kept\n"],
    ]);
    await mongo.db
      .collection(RUN_OUTPUT.collection)
      .insertOne({ runId: RUN_ID, attempt: 1, seq: 1, text: 42 });
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get(`/runs/${RUN_ID}/logs`);

    expect(response.status).toBe(200);
    expect(response.text).toBe("kept\nalso kept\n");
  });

  test.for([
    ["ABCDEF", "an unknown run"],
    ["not-a-run-id", "no run id"],
  ])("answers 404 for %s, %s", async ([runId], { rabbit, mongo, log, cleanup }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID }));
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const response = await request(ingress.app).get(`/runs/${runId}/logs`);

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: "run not found" });
  });

  test("answers 404 for a run without output, and for an attempt without any", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID, status: "Running", attempt: 1 }));
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    const none = await request(ingress.app).get(`/runs/${RUN_ID}/logs`);
    await storeOutput(mongo.db, 1, [[0, "first try\n"]]);
    const other = await request(ingress.app).get(`/runs/${RUN_ID}/logs?attempt=3`);

    expect(none.status).toBe(404);
    expect(none.body).toEqual({ error: "no output yet" });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: "no output for attempt 3" });
  });

  test("refuses an attempt that is not a positive integer, or an unknown parameter", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: RUN_ID, status: "Running", attempt: 1 }));
    await storeOutput(mongo.db, 1, [[0, "first try\n"]]);
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });

    for (const query of ["attempt=0", "attempt=-1", "attempt=1.5", "attempt=two", "attempt="]) {
      const response = await request(ingress.app).get(`/runs/${RUN_ID}/logs?${query}`);

      expect(response.status, query).toBe(400);
      expect(response.body, query).toEqual({
        error: "invalid request",
        issues: [{ path: "attempt", message: "attempt is a positive integer" }],
      });
    }
    const repeated = await request(ingress.app).get(`/runs/${RUN_ID}/logs?attempt=1&attempt=2`);
    const unknown = await request(ingress.app).get(`/runs/${RUN_ID}/logs?attempts=1`);
    expect(repeated.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: "invalid request", issues: [{ path: "" }] });
  });
});
