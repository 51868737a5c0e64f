import { setTimeout as delay } from "node:timers/promises";
import type { ExecutionDispatch, MessageType } from "@textops/contracts";
import { newEnvelope, PermanentError, type Delivery, type PublishExtras } from "@textops/messaging";
import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { discardOutput, type JobExecutor } from "../executors/job-executor.js";
import { aDispatch, TEST_DISPATCH_SECRET } from "../testing/worker.fixtures.js";
import type { ExecutionClaims } from "./ports.js";
import { createDispatchHandler } from "./dispatch.handler.js";
import type { EventPublisher } from "./execution.reporter.js";
import { createRunningJobs } from "./running-jobs.js";

const log = pino({ level: "silent" });

interface Sent {
  type: MessageType;
  payload: unknown;
  extras: PublishExtras;
}

/** Our own Publisher interface, recording what the handler publishes. */
function recordingPublisher(failOn?: MessageType) {
  const sent: Sent[] = [];
  const publisher: EventPublisher = {
    publish(type, payload, extras) {
      if (type === failOn) return Promise.reject(new Error("no confirm from the broker"));
      sent.push({ type, payload, extras });
      return Promise.resolve(newEnvelope(type, extras));
    },
  };
  return { publisher, sent, types: () => sent.map((s) => s.type) };
}

const aDelivery = (
  payload: ExecutionDispatch,
  previousDeliveries = 0,
): Delivery<"ExecutionDispatch"> => ({
  type: "ExecutionDispatch",
  payload,
  envelope: newEnvelope("ExecutionDispatch", { correlationId: payload.runId, messageId: "d-1" }),
  replyTo: undefined,
  previousDeliveries,
  attempt: 1,
  maxAttempts: undefined,
});

/** Claims of our own interface: every attempt free, or every attempt already taken. */
const claimsWhere = (state: "claimed" | "taken"): ExecutionClaims => ({
  claim: () => Promise.resolve(state),
});

function handlerWith(
  publisher: EventPublisher,
  executor: JobExecutor,
  heartbeatSeconds = 60,
  claims = claimsWhere("claimed"),
) {
  return createDispatchHandler({
    publisher,
    claims,
    executorFor: (job) =>
      job.executor.kind === "builtin" && job.executor.name === "demo"
        ? { ok: true, executor }
        : { ok: false, reason: `no built-in job "${job.executor.kind}"` },
    outputs: { open: () => ({ ...discardOutput, close: () => Promise.resolve() }) },
    dispatchSecret: TEST_DISPATCH_SECRET,
    running: createRunningJobs(),
    workerId: "worker-1",
    heartbeatSeconds,
  });
}

const succeeds: JobExecutor = () => Promise.resolve({ summary: "all good" });

describe(createDispatchHandler.name, () => {
  test("reports started, then completed, correlated by run and caused by the dispatch", async () => {
    const { publisher, sent, types } = recordingPublisher();

    await handlerWith(publisher, succeeds)(aDelivery(aDispatch()), log);

    expect(types()).toEqual(["ExecutionStarted", "ExecutionCompleted"]);
    expect(sent[1]?.payload).toMatchObject({
      runId: "K7Q2MX",
      attempt: 1,
      workerId: "worker-1",
      outcome: "Succeeded",
      summary: "all good",
    });
    for (const message of sent) {
      expect(message.extras).toMatchObject({ correlationId: "K7Q2MX", causationId: "d-1" });
    }
  });

  test.each([false, true])(
    "a redelivered dispatch whose attempt was taken (retryOnWorkerLoss %s) is reported lost, not run",
    async (retryOnWorkerLoss) => {
      const { publisher, sent, types } = recordingPublisher();
      let ran = false;
      const executor: JobExecutor = () => {
        ran = true;
        return Promise.resolve({ summary: "ran again" });
      };

      const handler = handlerWith(publisher, executor, 60, claimsWhere("taken"));
      await handler(aDelivery(aDispatch({ retryOnWorkerLoss }), 1), log);

      expect(ran).toBe(false);
      expect(types()).toEqual(["ExecutionCompleted"]);
      expect(sent[0]?.payload).toMatchObject({ outcome: "Lost", summary: "worker lost" });
    },
  );

  test("a dispatch published again for a taken attempt is dropped without a word", async () => {
    const { publisher, sent } = recordingPublisher();
    let ran = false;
    const executor: JobExecutor = () => {
      ran = true;
      return Promise.resolve({ summary: "ran twice" });
    };

    await handlerWith(publisher, executor, 60, claimsWhere("taken"))(aDelivery(aDispatch()), log);

    expect(ran).toBe(false);
    expect(sent).toEqual([]);
  });

  test("a job this worker will not run completes as failed, with the reason", async () => {
    const { publisher, sent } = recordingPublisher();

    await handlerWith(publisher, succeeds)(aDelivery(aDispatch({ jobKey: "nope" })), log);

    expect(sent.at(-1)?.payload).toMatchObject({
      outcome: "Failed",
      summary: 'no built-in job "builtin"',
    });
  });

  test.each([
    ["forged with another secret", () => ({ ...aDispatch(), signature: "0".repeat(64) })],
    [
      "altered after signing",
      () => ({ ...aDispatch(), parameters: [{ name: "x", value: "$(id)" }] }),
    ],
    [
      "its job swapped for another",
      () => {
        const signed = aDispatch();
        return {
          ...signed,
          job: { ...signed.job, executor: { kind: "shell" as const, command: ["rm", "-rf", "/"] } },
        };
      },
    ],
  ])("a dispatch %s is refused for good and runs nothing", async (_, make) => {
    const { publisher, sent } = recordingPublisher();
    let ran = false;
    const executor: JobExecutor = () => {
      ran = true;
      return Promise.resolve({ summary: "ran" });
    };

    const handling = handlerWith(publisher, executor)(aDelivery(make()), log);

    await expect(handling).rejects.toThrow(PermanentError);
    await expect(handling).rejects.toThrow(/dispatch signature does not verify/);
    expect(ran).toBe(false);
    expect(sent).toEqual([]);
  });

  test("heartbeats come between started and completed, never after", async () => {
    const { publisher, types } = recordingPublisher();
    const slow: JobExecutor = async ({ signal }) => {
      await delay(120, undefined, { signal });
      return { summary: "slow" };
    };

    await handlerWith(publisher, slow, 0.02)(aDelivery(aDispatch()), log);
    const seen = types();

    expect(seen[0]).toBe("ExecutionStarted");
    expect(seen.at(-1)).toBe("ExecutionCompleted");
    expect(seen.filter((t) => t === "ExecutionHeartbeat").length).toBeGreaterThanOrEqual(2);
  });

  test("a long failure message is cut to what the contract allows", async () => {
    const { publisher, sent } = recordingPublisher();
    const executor = () => Promise.reject(new Error("x".repeat(5000)));

    await handlerWith(publisher, executor)(aDelivery(aDispatch()), log);

    expect(sent.at(-1)?.payload).toMatchObject({ outcome: "Failed", summary: "x".repeat(2000) });
  });

  test("when the completion is not confirmed the handler fails, so the dispatch is not acked", async () => {
    const { publisher } = recordingPublisher("ExecutionCompleted");

    await expect(handlerWith(publisher, succeeds)(aDelivery(aDispatch()), log)).rejects.toThrow(
      "no confirm from the broker",
    );
  });
});
