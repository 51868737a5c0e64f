import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, withQueueReader } from "@textops/testing";
import { completed, next, REPORTS, started, test } from "../testing/worker.fixtures.js";

describe("stopping a worker", () => {
  test("lets the running job finish and publish its completion first", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    const worker = await workers.start();

    await orchestrator.dispatch({
      jobKey: "sleep",
      parameters: [{ name: "seconds", value: "0.5" }],
    });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      await worker.stop(30);
      expect(await queueDepth(rabbit.url, REPORTS)).toBe(1);
      expect(await next(take)).toEqual(completed("Succeeded", "Slept 0.5 s"));
    });
    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
  });

  test("aborts a job still running when the grace period ends; it fails as worker shutting down", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    const worker = await workers.start();

    await orchestrator.dispatch({
      jobKey: "sleep",
      parameters: [{ name: "seconds", value: "3600" }],
    });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      await worker.stop(0.2);
      expect(await next(take)).toEqual(completed("Failed", "worker shutting down"));
    });
    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
  });

  test("leaves new dispatches to other workers", async ({ rabbit, orchestrator, workers }) => {
    const worker = await workers.start();
    await worker.stop();

    await orchestrator.dispatch({ jobKey: "demo" });

    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(1);
  });
});
