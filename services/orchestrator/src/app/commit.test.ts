import { describe, expect, test } from "vitest";
import { pino } from "pino";
import { answer } from "../domain/answers.js";
import { createRun } from "../domain/create-run.js";
import { decide } from "../domain/decide.js";
import {
  inMemoryInboxStore,
  inMemoryRunStore,
  recordingPublisher,
} from "../testing/in-memory-ports.js";
import { signDispatch } from "@textops/messaging";
import { demoJob, T0, TEST_CATALOG_VERSION } from "../testing/run-builder.js";
import { TEST_DISPATCH_SECRET } from "../testing/test-catalog.js";
import { createCommit, type Sender } from "./commit.js";
import type { InboxStore, Publisher, RunStore } from "./ports.js";

const log = pino({ level: "silent" });
const AGE = 30_000;
const requester = { channelId: "dev", from: "user1", conversation: "user1" };

/** The commit unit on in-memory ports, every call to them noted in order. */
function aCommit() {
  const calls: string[] = [];
  const runs = inMemoryRunStore();
  const inbox = inMemoryInboxStore();
  const publisher = recordingPublisher();
  const noted = <T extends object>(name: string, port: T): T =>
    Object.fromEntries(
      Object.entries(port).map(([method, fn]) => [
        method,
        typeof fn === "function"
          ? (...args: unknown[]) => {
              calls.push(`${name}.${method}`);
              return (fn as (...a: unknown[]) => unknown)(...args);
            }
          : fn,
      ]),
    ) as T;
  const notedPublisher: Publisher = {
    publish: (type, payload, extras) => {
      calls.push(`publish ${type}`);
      return publisher.publish(type, payload, extras);
    },
  };
  const commit = createCommit({
    runs: noted<RunStore>("runs", runs),
    inbox: noted<InboxStore>("inbox", inbox),
    publisher: notedPublisher,
    signDispatch: (dispatch) => signDispatch(dispatch, TEST_DISPATCH_SECRET),
    clock: () => T0,
    log,
    outboxAgeMs: AGE,
    dispatchWaitMs: 60_000,
  });
  const sender: Sender = { replyTo: "reply-queue", correlationId: "c1", causationId: "in-1", log };
  return { calls, runs, inbox, publisher, commit, sender };
}

function newRun(runId = "NEW234") {
  const { run, outbound } = createRun({
    runId,
    jobKey: "demo",
    job: demoJob,
    catalogVersion: TEST_CATALOG_VERSION,
    parameters: [],
    requester,
    approvalTtlSeconds: 600,
    now: T0,
  });
  const held = answer({ inboundMessageId: "in-1", intentType: "RunJob", runId, outbound });
  return {
    run,
    sends: { outbound, dispatch: null, cancel: null },
    causationId: "in-1",
    now: T0,
    processed: { key: "dev:p1", reply: held },
  };
}

describe(createCommit.name, () => {
  test("a new run: written with its outbox and announced look, answered, published, settled", async () => {
    const c = aCommit();
    expect(await c.commit.newRun(newRun(), c.sender)).toBe("committed");

    expect(c.calls).toEqual([
      "runs.insert",
      "publish OrchestratorReply",
      "publish OutboundMessage",
      "runs.removeOutbox",
      "runs.settle",
    ]);
    const stored = c.runs.stored.get("NEW234");
    expect(stored?.outbox).toEqual([]);
    expect(stored?.processed).toEqual([newRun().processed]);
    expect(c.runs.watched()).toEqual(new Map([["NEW234", stored?.approvalExpiresAt]]));
    expect(c.publisher.published[0]?.extras).toMatchObject({ replyTo: "reply-queue" });
  });

  test("a run id already taken writes nothing and sends nothing", async () => {
    const c = aCommit();
    await c.commit.newRun(newRun(), null);
    c.calls.length = 0;
    expect(await c.commit.newRun(newRun(), c.sender)).toBe("exists");
    expect(c.calls).toEqual(["runs.insert"]);
  });

  test("a change: guarded by the version read; on a conflict nothing is written or sent", async () => {
    const c = aCommit();
    await c.commit.newRun(newRun(), null);
    const run = c.runs.stored.get("NEW234");
    if (!run) throw new Error("not stored");
    const input = { kind: "approve", actor: "user:dev:user1", replyTo: requester } as const;
    const decision = decide(run, input, { now: T0 + 1, commandId: "in-2" });
    if (!decision.change) throw new Error("no change");
    const change = { run, change: decision.change, sends: decision, causationId: "in-2" };
    const commit = { ...change, now: T0 + 1, processed: null };
    c.calls.length = 0;

    expect(await c.commit.runChange(commit, c.sender)).toBe(true);
    expect(c.calls).toEqual([
      "runs.apply",
      "publish OutboundMessage", // approved, starting
      "publish ExecutionDispatch",
      "runs.removeOutbox",
      "runs.settle",
    ]);
    expect(c.runs.stored.get("NEW234")).toMatchObject({ status: "Dispatching", outbox: [] });

    c.calls.length = 0;
    expect(await c.commit.runChange(commit, c.sender)).toBe(false);
    expect(c.calls).toEqual(["runs.apply"]);
  });

  test("an answer alone: kept in the inbox with its notices, answered, published, settled", async () => {
    const c = aCommit();
    const key = { channelId: "dev", providerMessageId: "p9" };
    await c.inbox.record({
      ...key,
      messageId: "in-9",
      receivedAt: new Date(T0).toISOString(),
      state: "processing",
      runId: null,
      reply: null,
      outbox: [],
    });
    const outbound = [
      {
        channelId: "dev",
        conversation: "dev:user1",
        body: "help text",
        correlationId: "",
        idempotencyKey: "help:dev:p9",
      },
    ];
    const help = answer({ inboundMessageId: "in-9", intentType: "Help", outbound });
    c.calls.length = 0;

    const commit = { key, answer: help, causationId: "in-9", correlationId: "c9", now: T0 };
    await c.commit.answerOnly(commit, c.sender);
    expect(c.calls).toEqual([
      "inbox.complete",
      "publish OrchestratorReply",
      "publish OutboundMessage",
      "inbox.removeOutbox",
      "inbox.settle",
    ]);
    expect(c.inbox.stored.get("dev:p9")).toMatchObject({ state: "done", reply: help, outbox: [] });
    expect(c.inbox.watched()).toEqual(new Map());
    expect(c.publisher.published[1]?.extras).toMatchObject({
      messageId: "in-9:out0",
      correlationId: "c9",
    });
  });

  test("an answer that cannot be sent fails nothing: the effect is already durable", async () => {
    const c = aCommit();
    c.publisher.failNext("OrchestratorReply");
    expect(await c.commit.newRun(newRun(), c.sender)).toBe("committed");
    expect(c.publisher.published.map((p) => p.type)).toEqual(["OutboundMessage"]);
  });
});
