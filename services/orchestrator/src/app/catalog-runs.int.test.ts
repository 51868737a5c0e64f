import { QUEUES, type ExecutionDispatch } from "@textops/contracts";
import { dispatchSignatureValid } from "@textops/messaging";
import { describe, expect } from "@textops/testing";
import { parseCatalog } from "../domain/catalog/index.js";
import { jobCatalog } from "../domain/catalog/job-catalog.js";
import { test } from "../testing/fixtures.js";
import { TEST_DISPATCH_SECRET } from "../testing/test-catalog.js";

/** A catalog of one job, `deploy`, whose definition each version changes. */
function catalogOf(version: string, yaml: string) {
  const parsed = parseCatalog(yaml, "jobs.yaml");
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return jobCatalog(version, parsed.catalog);
}

const before = catalogOf(
  "aaaaaaaaaaaa",
  `
jobs:
  deploy:
    description: Deploy one service
    parameters:
      service: { type: enum, values: [api, web], required: true }
      replicas: { type: int, min: 1, max: 20, default: 2 }
    executor: { kind: shell, command: [./deploy.sh] }
    timeoutSeconds: 600
    pool: deployers
`,
);

const after = catalogOf(
  "bbbbbbbbbbbb",
  `
jobs:
  deploy:
    description: Deploy one service, faster
    parameters:
      service: { type: enum, values: [api, web, db], required: true }
      replicas: { type: int, min: 1, max: 20, default: 5 }
    executor: { kind: shell, command: [./deploy-v2.sh] }
    timeoutSeconds: 60
    pool: deployers
`,
);

describe("runs and the catalog", () => {
  test("a run waiting for approval keeps the definition it was asked with, across a restart on a new catalog", async ({
    startOrchestrator,
    client,
  }) => {
    const first = await startOrchestrator({ runIds: ["DPL234"], catalog: before });
    const asked = await client.send("run deploy service=api");
    expect(asked.outbound[0]?.body).toBe(
      'Job "deploy" (service=api replicas=2) is ready. Reply YES DPL234 to approve or NO DPL234 to deny.',
    );
    await first.stop();

    await startOrchestrator({ catalog: after });
    const approved = await client.send("yes DPL234");
    expect(approved.dispatchedExecution).toBe(true);

    const delivery = await client.take(QUEUES.dispatch("deployers"), "ExecutionDispatch");
    const dispatch: ExecutionDispatch = delivery.payload;
    expect(dispatch).toMatchObject({
      runId: "DPL234",
      catalogVersion: "aaaaaaaaaaaa",
      job: before.jobs.get("deploy"),
      parameters: [
        { name: "service", value: "api" },
        { name: "replicas", value: 2 },
      ],
      timeoutSeconds: 600,
    });
    expect(dispatchSignatureValid(dispatch, TEST_DISPATCH_SECRET)).toBe(true);
    expect(await client.drain(QUEUES.workerDispatch)).toEqual([]);
  });

  test("a dispatch for a pool no worker serves waits in that pool's queue", async ({
    startOrchestrator,
    client,
    rabbit,
  }) => {
    await startOrchestrator({ runIds: ["PL2345"], catalog: after });
    await client.send("run deploy service=db");
    await client.send("yes PL2345");

    const delivery = await client.take(QUEUES.dispatch("deployers"), "ExecutionDispatch");
    expect(delivery.payload).toMatchObject({ runId: "PL2345", job: { pool: "deployers" } });
    const deadLetters = await rabbit.admin.queue(rabbit.vhost, "worker.dispatch.deployers.dead");
    expect(deadLetters.name).toBe("worker.dispatch.deployers.dead");
  });
});
