import { describe, expect } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient } from "./http-client.js";

describe("a real job from the shipped catalog", () => {
  test("deploy, a shell job on its own pool: asked, refused when wrong, approved, run, its logs read back", async ({
    startSystem,
  }) => {
    const system = await startSystem({ workers: 1, deployers: "shell" });
    const client = devClient(system.baseUrl);

    const wrong = await client.send("run deploy service=db");
    expect(wrong.runId).toBeNull();
    expect(wrong.outbound[0]?.body).toBe(
      'Job "deploy" was not run: service must be one of api, web, got "db"; version is required. Send HELP DEPLOY for its parameters.',
    );

    const asked = await client.send("run deploy service=api version=v1.2.3 replicas=3");
    const runId = asked.runId ?? "";
    expect(asked.outbound[0]?.body).toBe(
      `Job "deploy" (service=api version=v1.2.3 replicas=3 dryRun=false) is ready. Reply YES ${runId} to approve or NO ${runId} to deny.`,
    );
    await client.send(`yes ${runId}`);
    const view = await client.untilStatus(runId, "Succeeded", "Failed");

    expect(view.run.status).toBe("Succeeded");
    const started = view.events.find((e) => e.type === "ExecutionStarted");
    expect(started?.actor).toBe("worker:worker-deployers");
    const succeeded = view.events.find((e) => e.type === "ExecutionSucceeded");
    expect(succeeded?.payload).toMatchObject({ summary: "deployed api v1.2.3 on 3 replicas" });

    const response = await fetch(`${system.baseUrl}/runs/${runId.toLowerCase()}/logs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(
      [
        `run ${runId} attempt 1: deploying api v1.2.3 (3 replicas)`,
        "replica 1 of 3: api v1.2.3 started",
        "replica 2 of 3: api v1.2.3 started",
        "replica 3 of 3: api v1.2.3 started",
        "deployed api v1.2.3 on 3 replicas",
        "",
      ].join("\n"),
    );

    const logs = await client.send(`logs ${runId}`);
    expect(logs.outbound[0]?.body).toBe(
      [
        `Run ${runId} attempt 1, last lines:`,
        `run ${runId} attempt 1: deploying api v1.2.3 (3 replicas)`,
        "replica 1 of 3: api v1.2.3 started",
        "replica 2 of 3: api v1.2.3 started",
        "replica 3 of 3: api v1.2.3 started",
        "deployed api v1.2.3 on 3 replicas",
      ].join("\n"),
    );
  });

  test("a worker whose WORKER_EXECUTORS leaves out shell runs no shell job, and the run says why", async ({
    startSystem,
  }) => {
    const system = await startSystem({ workers: 1, deployers: "builtin,http" });
    const client = devClient(system.baseUrl);

    const runId = (await client.send("run deploy service=web version=v2.0.0")).runId ?? "";
    await client.send(`yes ${runId}`);
    const view = await client.untilStatus(runId, "Failed", "Succeeded");

    const failed = view.events.find((e) => e.type === "ExecutionFailed");
    expect(failed?.payload).toMatchObject({
      summary: "this worker does not run shell jobs (WORKER_EXECUTORS=builtin,http)",
    });
  });
});
