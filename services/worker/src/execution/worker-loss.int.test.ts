import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, withQueueReader } from "@textops/testing";
import {
  completed,
  crashWhileHoldingADispatch,
  next,
  REPORTS,
  started,
  test,
} from "../testing/worker.fixtures.js";

describe("a dispatch whose worker was lost", () => {
  test.for([false, true])(
    "is reported lost, not run, when its worker had begun (retryOnWorkerLoss %s)",
    async (retryOnWorkerLoss, { rabbit, mongo, log, orchestrator, workers }) => {
      await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss });
      await crashWhileHoldingADispatch(rabbit.url, log, mongo.db);

      const worker = await workers.start();

      await withQueueReader(rabbit.url, async (take) => {
        expect(await next(take)).toEqual(completed("Lost", "worker lost"));
      });
      await worker.stop();
      expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
    },
  );

  test("runs normally when its worker died before it began", async ({
    rabbit,
    log,
    orchestrator,
    workers,
  }) => {
    await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss: false });
    await crashWhileHoldingADispatch(rabbit.url, log);

    await workers.start();

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Succeeded", "Job 'demo' completed successfully"));
    });
  });

  test("a dispatch published twice runs once", async ({ rabbit, orchestrator, workers }) => {
    await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss: true });
    await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss: true });

    const worker = await workers.start();

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Succeeded", "Job 'demo' completed successfully"));
    });
    await worker.stop();
    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
    expect(await queueDepth(rabbit.url, REPORTS)).toBe(0);
  });
});
