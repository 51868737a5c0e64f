import { dispatchSignatureValid } from "@textops/messaging";
import type { ExecutionDispatch } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { inMemoryRunOutput } from "../testing/in-memory-ports.js";
import { shippedCatalog, TEST_DISPATCH_SECRET } from "../testing/test-catalog.js";

describe("run, checked against the catalog", () => {
  test.each([
    ["run migrate env=prod", 'Unknown job "migrate". Send JOBS for the list.'],
    [
      "run deploy service=db replicas=2",
      'Job "deploy" was not run: service must be one of api, web, got "db"; version is required. Send HELP DEPLOY for its parameters.',
    ],
    [
      "run sleep seconds=abc",
      'Job "sleep" was not run: seconds must match ^\\d+(\\.\\d+)?$, got "abc". Send HELP SLEEP for its parameters.',
    ],
    [
      "run flaky failures=11 colour=red",
      'Job "flaky" was not run: unknown parameter "colour"; it takes failures; failures must be at most 10, got "11". Send HELP FLAKY for its parameters.',
    ],
  ])("%s is answered and creates nothing", async (text, reply) => {
    const h = anApp();

    await h.text(text);

    expect(h.lastAnswer()).toMatchObject({ intentType: "RunJob", runId: null, jobKey: null });
    expect(h.bodies()).toEqual([reply]);
    expect(h.runs.stored.size).toBe(0);
    expect(h.publisher.published.filter((p) => p.type === "ExecutionDispatch")).toEqual([]);
  });

  test("the approval request shows the values the job will run with, defaults applied", async () => {
    const h = anApp({ runIds: ["FLK234", "DEM234"] });

    await h.text("run flaky");
    await h.text("run demo");

    expect(h.bodies()).toEqual([
      'Job "flaky" (failures=1) is ready. Reply YES FLK234 to approve or NO FLK234 to deny.',
      'Job "demo" is ready. Reply YES DEM234 to approve or NO DEM234 to deny.',
    ]);
  });

  test("a run records the job's definition and the catalog's version; the dispatch carries them, signed", async () => {
    const catalog = shippedCatalog();
    const h = anApp({ runIds: ["ECH234"], catalog });

    await h.text("run echo note=hello", { from: "alice" });
    await h.text("yes ECH234", { from: "bob" });

    const run = h.runs.stored.get("ECH234");
    expect(run).toMatchObject({
      catalogVersion: catalog.version,
      job: catalog.jobs.get("echo"),
      parameters: [{ name: "note", value: "hello" }],
    });
    expect(run?.events[0]?.payload).toEqual({
      jobKey: "echo",
      catalogVersion: catalog.version,
      parameters: [{ name: "note", value: "hello" }],
    });
    const [dispatch] = h.publisher.published
      .filter((p) => p.type === "ExecutionDispatch")
      .map((p) => p.payload as ExecutionDispatch);
    expect(dispatch).toMatchObject({
      runId: "ECH234",
      job: catalog.jobs.get("echo"),
      catalogVersion: catalog.version,
      parameters: [{ name: "note", value: "hello" }],
      requestedBy: "user:dev:alice",
      approvedBy: ["user:dev:bob"],
    });
    expect(dispatch && dispatchSignatureValid(dispatch, TEST_DISPATCH_SECRET)).toBe(true);
    expect(dispatch && dispatchSignatureValid(dispatch, "another-secret-of-16+")).toBe(false);
  });
});

describe("answers that change no run", () => {
  test.each(["run migrate", "jobs", "help deploy", "logs ZZZZZZ"])(
    "%s sent twice at once (two deliveries in hand together) is told once",
    async (text) => {
      const h = anApp();

      await Promise.all([
        h.text(text, { providerMessageId: "p1", messageId: "first" }),
        h.text(text, { providerMessageId: "p1", messageId: "second" }),
      ]);

      expect(h.notices()).toHaveLength(1);
      expect(h.answers()).toHaveLength(2);
    },
  );
});

describe("jobs and help <job>", () => {
  test("jobs lists every job with its description", async () => {
    const h = anApp();

    await h.text("jobs");

    expect(h.lastAnswer()).toMatchObject({ intentType: "ListJobs", runId: null });
    expect(h.bodies()).toEqual([
      [
        "Jobs:",
        "demo: A short pause, then success; the job to try TextOps with",
        "sleep: Sleeps a number of seconds (fractions allowed, at most an hour)",
        "fail: Always fails, with the reason given",
        "echo: Succeeds with its parameters as the summary",
        "flaky: Fails, retryably, on its first attempts, then succeeds",
        "deploy: Deploy one service",
        "Send HELP <job> for one job's parameters.",
      ].join("\n"),
    ]);
  });

  test.each([
    [
      "help flaky",
      'Job "flaky": Fails, retryably, on its first attempts, then succeeds. Parameters: failures (whole number 0–10, default 1). Usage: run flaky [failures=…]',
    ],
    [
      "HELP DEMO",
      'Job "demo": A short pause, then success; the job to try TextOps with. No parameters. Usage: run demo',
    ],
    [
      "help deploy",
      'Job "deploy": Deploy one service. Parameters: service (api|web, required) · version (text matching ^v\\d+\\.\\d+\\.\\d+$, required) · replicas (whole number 1–20, default 2) · dryRun (true or false, default false). Usage: run deploy service=… version=… [replicas=…] [dryRun=…]',
    ],
    ["help migrate", 'Unknown job "migrate". Send JOBS for the list.'],
  ])("%s", async (text, reply) => {
    const h = anApp();

    await h.text(text);

    expect(h.bodies()).toEqual([reply]);
  });
});

describe("logs <id>", () => {
  test("answers with the last lines of the latest attempt's output", async () => {
    const output = inMemoryRunOutput();
    const h = anApp({ runIds: ["LGS234"], output });
    await h.text("run demo");
    output.write("LGS234", 1, "first try\n");
    output.write("LGS234", 2, Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n"));

    await h.text("logs lgs234");

    const [, reply] = h.bodies();
    expect(reply).toMatch(/^Run LGS234 attempt 2, last lines:\n…\nline \d+\n/);
    expect(reply).toMatch(/\nline 99$/);
    expect(reply?.length).toBeLessThanOrEqual(500);
    expect(h.lastAnswer()).toMatchObject({ intentType: "RunLogs", runId: "LGS234" });
  });

  test("says so when there is no output yet, or no such run", async () => {
    const h = anApp({ runIds: ["NLG234"] });
    await h.text("run demo");

    await h.text("logs NLG234");
    await h.text("logs ZZZZZZ");

    expect(h.bodies().slice(1)).toEqual([
      'Run NLG234 (job "demo") has no output yet.',
      "Run ZZZZZZ not found.",
    ]);
  });
});
