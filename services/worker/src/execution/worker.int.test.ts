import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, withQueueReader } from "@textops/testing";
import {
  completed,
  next,
  REPORTS,
  RUN_ID,
  started,
  test,
  WORKER_ID,
} from "../testing/worker.fixtures.js";
import { startWorker } from "./worker.js";

describe(startWorker.name, () => {
  test("a demo job reports started, then succeeded, and its dispatch is acked", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    const worker = await workers.start();

    await orchestrator.dispatch({ jobKey: "demo" });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Succeeded", "Job 'demo' completed successfully"));
    });
    await worker.stop();
    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
  });

  test("a built-in job the worker does not have completes as failed", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    const worker = await workers.start();

    await orchestrator.dispatch({ jobKey: "nope" });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Failed", 'no built-in job "nope"'));
    });
    await worker.stop();
    expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(0);
  });

  test("a job that throws completes as failed with its message", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    await workers.start();

    await orchestrator.dispatch({
      jobKey: "fail",
      parameters: [{ name: "reason", value: "disk full" }],
    });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Failed", "disk full"));
    });
  });

  test("a job that outlives its timeout is aborted and fails as timed out", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    await workers.start();

    await orchestrator.dispatch({
      jobKey: "sleep",
      parameters: [{ name: "seconds", value: "30" }],
      timeoutSeconds: 1,
    });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      const report = await next(take);
      expect(report).toEqual(completed("Failed", "timed out after 1 s"));
      expect(report.payload.durationMs).toBeGreaterThanOrEqual(1000);
      expect(report.payload.durationMs).toBeLessThan(10_000);
    });
  });

  test("a cancel request aborts the running job, which fails as cancelled", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    await workers.start();

    await orchestrator.dispatch({
      jobKey: "sleep",
      parameters: [{ name: "seconds", value: "3600" }],
    });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      await orchestrator.cancel(RUN_ID, 1);
      expect(await next(take)).toEqual(completed("Failed", "cancelled"));
    });
  });

  test("heartbeats are published while a job runs, and none after it completed", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    const worker = await workers.start({ heartbeatSeconds: 0.2 });

    await orchestrator.dispatch({ jobKey: "sleep", parameters: [{ name: "seconds", value: "1" }] });

    const messages = await withQueueReader(rabbit.url, async (take) => {
      const seen = [await next(take)];
      while (seen.at(-1)?.type !== "ExecutionCompleted") seen.push(await next(take));
      return seen;
    });
    await worker.stop();
    const heartbeats = messages.filter((m) => m.type === "ExecutionHeartbeat");
    expect(messages[0]).toEqual(started);
    expect(messages.at(-1)).toEqual(completed("Succeeded", "Slept 1 s"));
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(heartbeats[0]?.payload).toMatchObject({
      runId: RUN_ID,
      attempt: 1,
      workerId: WORKER_ID,
    });
    expect(await queueDepth(rabbit.url, REPORTS)).toBe(0);
  });

  test("two dispatches run at once when the concurrency is two", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    await workers.start({ concurrency: 2 });
    const parameters = [{ name: "seconds", value: "0.5" }];

    await orchestrator.dispatch({ runId: "AAAAAA", jobKey: "sleep", parameters });
    await orchestrator.dispatch({ runId: "BBBBBB", jobKey: "sleep", parameters });

    await withQueueReader(rabbit.url, async (take) => {
      const types: string[] = [];
      for (let i = 0; i < 4; i += 1) types.push((await next(take)).type);
      expect(types).toEqual([
        "ExecutionStarted",
        "ExecutionStarted",
        "ExecutionCompleted",
        "ExecutionCompleted",
      ]);
    });
  });
});
