import { ENVELOPE_HEADERS, QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, withQueueReader } from "@textops/testing";
import {
  aDispatch,
  builtinJob,
  completed,
  next,
  started,
  test,
} from "../testing/worker.fixtures.js";

const DEAD = QUEUES.deadLetter(QUEUES.workerDispatch);

describe("dispatches a worker trusts, and those it refuses", () => {
  test.for([
    ["signed with another secret", () => ({ ...aDispatch(), signature: "f".repeat(64) })],
    [
      "altered after signing: a shell command put in its job",
      () => {
        const signed = aDispatch();
        const job = {
          ...signed.job,
          executor: { kind: "shell" as const, command: ["touch", "/tmp/pwned"] },
        };
        return { ...signed, job };
      },
    ],
  ] as const)(
    "a dispatch %s is dead-lettered with the reason and runs nothing",
    async ([, forged], { rabbit, orchestrator, workers }) => {
      await workers.start();

      await orchestrator.publishAsIs(forged());

      await withQueueReader(rabbit.url, async (take) => {
        const dead = await take(DEAD);
        expect(String(dead.properties.headers?.[ENVELOPE_HEADERS.deadLetterReason])).toMatch(
          /^dispatch signature does not verify/,
        );
      });
      // The worker goes on: the next, genuine dispatch runs.
      await orchestrator.dispatch({ jobKey: "demo" });
      await withQueueReader(rabbit.url, async (take) => {
        expect(await next(take)).toEqual(started);
        expect(await next(take)).toEqual(
          completed("Succeeded", "Job 'demo' completed successfully"),
        );
      });
      expect(await queueDepth(rabbit.url, DEAD)).toBe(0);
    },
  );

  test("a worker serves only its pools: a dispatch for another pool waits in that pool's queue", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    await workers.start({ pools: ["deployers"] });
    const deployers = QUEUES.dispatch("deployers");

    await orchestrator.dispatch({ jobKey: "demo", job: builtinJob("demo", { pool: "deployers" }) });
    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(completed("Succeeded", "Job 'demo' completed successfully"));
    });
    expect(await queueDepth(rabbit.url, deployers)).toBe(0);

    await orchestrator.dispatch({ jobKey: "demo" });
    await expect.poll(() => queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(1);
  });

  test("a job of an executor kind the worker does not run fails, saying which kinds it runs", async ({
    rabbit,
    orchestrator,
    workers,
  }) => {
    await workers.start({ executorKinds: ["builtin"] });
    const job = builtinJob("deploy", { executor: { kind: "shell", command: ["./deploy.sh"] } });

    await orchestrator.dispatch({ jobKey: "deploy", job });

    await withQueueReader(rabbit.url, async (take) => {
      expect(await next(take)).toEqual(started);
      expect(await next(take)).toEqual(
        completed("Failed", "this worker does not run shell jobs (WORKER_EXECUTORS=builtin)"),
      );
    });
  });
});
