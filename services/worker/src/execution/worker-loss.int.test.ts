import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, withQueueReader } from "@textops/testing";
import { completed, crashWhileHoldingADispatch, next, started, test } from "./worker.fixtures.js";

describe("a dispatch whose worker was lost", () => {
  test("is not run again when it may not be retried: it fails as worker lost", async ({
    rabbit,
    log,
    orchestrator,
    workers,
  }) => {
    await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss: false });
    await crashWhileHoldingADispatch(rabbit.url, log);

    const worker = await workers.start();

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(completed("Failed", "worker lost"));
    });
    await worker.stop();
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(1);
    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
  });

  test("runs again when it may be retried", async ({ rabbit, log, orchestrator, workers }) => {
    await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss: true });
    await crashWhileHoldingADispatch(rabbit.url, log);

    await workers.start();

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Succeeded", "Job 'demo' completed successfully"));
    });
  });
});
