import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, withQueueReader } from "@textops/testing";
import { completed, crashWhileHoldingADispatch, next, test } from "./worker.fixtures.js";

describe("a dispatch whose worker was lost", () => {
  test.for([false, true])(
    "is reported lost, not run, whatever its retry policy (retryOnWorkerLoss %s)",
    async (retryOnWorkerLoss, { rabbit, log, orchestrator, workers }) => {
      await orchestrator.dispatch({ jobKey: "demo", retryOnWorkerLoss });
      await crashWhileHoldingADispatch(rabbit.url, log);

      const worker = await workers.start();

      await withQueueReader(rabbit.url, async (take) => {
        expect(await next(take)).toEqual(completed("Lost", "worker lost"));
      });
      await worker.stop();
      expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
    },
  );
});
