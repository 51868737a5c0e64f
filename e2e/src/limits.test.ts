import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient } from "./http-client.js";

/** POST /dev/inbound with any JSON body, keeping the status whatever it is. */
async function post(baseUrl: string, body: unknown) {
  const response = await fetch(`${baseUrl}/dev/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const text = (body: string) => ({ from: "user1", conversation: "user1", body });
const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join(" ");

/** A catalog with one job, `wide`, that takes 21 text parameters: as many as a run could ask. */
function wideCatalog(): string {
  const file = join(mkdtempSync(join(tmpdir(), "jobs-")), "jobs.yaml");
  const parameters = Array.from({ length: 21 }, (_, i) => `      p${i}: { type: string }`);
  const job = ["jobs:", "  wide:", "    description: Takes many parameters", "    parameters:"];
  writeFileSync(
    file,
    [...job, ...parameters, "    executor: { kind: builtin, name: echo }", ""].join("\n"),
  );
  return file;
}

describe("limits, end to end", () => {
  test("ingress refuses a body over 64 kB (413) and a text over 4000 characters (400 naming body); neither reaches the orchestrator", async ({
    startSystem,
    mongo,
  }) => {
    const system = await startSystem({ workers: 0 });

    const tooLarge = await post(system.baseUrl, text("x".repeat(70 * 1024)));
    const tooLong = await post(system.baseUrl, text("x".repeat(4001)));
    const longest = await post(system.baseUrl, text("x".repeat(4000)));

    expect(tooLarge).toEqual({
      status: 413,
      body: { error: "request body too large", limitBytes: 64 * 1024 },
    });
    expect(tooLong).toEqual({
      status: 400,
      body: {
        error: "invalid request",
        issues: [{ path: "body", message: expect.stringContaining("4000") as unknown }],
      },
    });
    expect(longest.status).toBe(200);
    expect(await mongo.db.collection("inbox").countDocuments()).toBe(1);
  });

  test("the orchestrator answers a text over 1000 characters as Unknown, naming the limit", async ({
    startSystem,
    mongo,
  }) => {
    const system = await startSystem({ workers: 0 });
    const client = devClient(system.baseUrl);
    const note = (length: number) =>
      `run echo note=${"x".repeat(length - "run echo note=".length)}`;

    const tooLong = await client.send(note(1001));
    const longest = await client.send(note(1000));

    expect(tooLong).toMatchObject({ intentType: "Unknown", runId: null });
    expect(tooLong.outbound[0]?.body).toBe(
      "Sorry, I did not understand that (message is longer than 1000 characters). Send HELP for the commands.",
    );
    expect(longest).toMatchObject({ intentType: "RunJob", jobKey: "echo" });
    expect(await mongo.db.collection("runs").countDocuments()).toBe(1);
  });

  test("the orchestrator answers a run with more than 20 parameters as Unknown, naming the limit", async ({
    startSystem,
    mongo,
  }) => {
    const system = await startSystem({ workers: 0, jobsFile: wideCatalog() });
    const client = devClient(system.baseUrl);

    const tooMany = await client.send(`run wide ${params(21)}`);
    const most = await client.send(`run wide ${params(20)}`);

    expect(tooMany).toMatchObject({ intentType: "Unknown", runId: null });
    expect(tooMany.outbound[0]?.body).toContain("a run takes at most 20 parameters, got 21");
    expect(most).toMatchObject({ intentType: "RunJob", jobKey: "wide" });
    const run = await client.run(most.runId ?? "");
    expect(run.events[0]?.payload).toMatchObject({ parameters: { length: 20 } });
    expect(await mongo.db.collection("runs").countDocuments()).toBe(1);
  });
});
