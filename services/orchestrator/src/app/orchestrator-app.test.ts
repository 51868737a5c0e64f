import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { T0 } from "../testing/run-builder.js";
import { createOrchestratorApp } from "./orchestrator-app.js";

const at = (ms = 0) => new Date(T0 + ms).toISOString();

describe(createOrchestratorApp.name, () => {
  test("run, yes, started, completed: each answered, each notice sent, nothing left", async () => {
    const h = anApp({ runIds: ["FXK234"] });

    await h.text("run demo");
    expect(h.lastAnswer()).toMatchObject({ intentType: "RunJob", jobKey: "demo", runId: "FXK234" });
    await h.text("yes FXK234");
    expect(h.lastAnswer()).toMatchObject({ runId: "FXK234", dispatchedExecution: true });
    const dispatch = { runId: "FXK234", attempt: 1, workerId: "w1" };
    await h.deliver("ExecutionStarted", { ...dispatch, startedAt: at(1) });
    await h.deliver("ExecutionCompleted", {
      ...dispatch,
      outcome: "Succeeded",
      summary: "ok",
      durationMs: 1,
      completedAt: at(2),
    });

    expect(h.bodies()).toEqual([
      'Job "demo" is ready. Reply YES FXK234 to approve or NO FXK234 to deny.',
      'Approved. Starting run FXK234 for job "demo"…',
      "Run FXK234 succeeded: ok",
    ]);
    expect(h.publisher.published.filter((p) => p.type === "ExecutionDispatch")).toHaveLength(1);
    const run = h.runs.stored.get("FXK234");
    expect(run?.status).toBe("Succeeded");
    expect(run?.outbox).toEqual([]);
    expect(h.runs.watched()).toEqual(new Map());
    expect(h.inbox.watched()).toEqual(new Map());
  });

  test("the sender is answered once the run is stored, while its notices are being published", async () => {
    const h = anApp({ runIds: ["HLD234"] });
    const held = h.publisher.hold("OutboundMessage");

    const handled = h.text("run demo");
    await expect.poll(() => h.answers()).toHaveLength(1);
    expect(h.lastAnswer()).toMatchObject({ runId: "HLD234", duplicate: false });
    expect(h.notices()).toEqual([]);
    expect(h.runs.stored.get("HLD234")?.outbox).toHaveLength(1);

    held.release();
    await handled;
    expect(h.notices()).toEqual(h.lastAnswer().outbound);
    expect(h.runs.stored.get("HLD234")?.outbox).toEqual([]);
  });

  test("a message delivered again has its effect once; another delivery of it is a duplicate", async () => {
    const h = anApp({ runIds: ["DUP234"] });
    await h.text("run demo", { providerMessageId: "p1", messageId: "in-1" });
    const first = h.lastAnswer();

    await h.text("run demo", { providerMessageId: "p1", messageId: "in-1" });
    expect(h.lastAnswer()).toEqual(first);
    await h.text("run demo", { providerMessageId: "p1", messageId: "in-2" });
    expect(h.lastAnswer()).toMatchObject({ inboundMessageId: "in-2", duplicate: true });

    expect(h.runs.stored.size).toBe(1);
    expect(h.notices()).toHaveLength(1);
  });

  test("a crash between the write and the publish is finished by the redelivery", async () => {
    const h = anApp({ runIds: ["CRS234"] });
    await h.text("run demo");
    h.publisher.failNext("OutboundMessage");
    await expect(
      h.text("yes CRS234", { providerMessageId: "p2", messageId: "in-2" }),
    ).rejects.toThrow("broker unreachable");
    expect(
      h.runs.stored
        .get("CRS234")
        ?.outbox.map((e) => e.type)
        .sort(),
    ).toEqual(["ExecutionDispatch", "OutboundMessage"]); // approved, starting

    await h.text("yes CRS234", { providerMessageId: "p2", messageId: "in-2" });
    expect(h.runs.stored.get("CRS234")?.outbox).toEqual([]);
    expect(h.runs.stored.get("CRS234")?.status).toBe("Dispatching");
    expect(h.lastAnswer()).toMatchObject({ inboundMessageId: "in-2", dispatchedExecution: true });
    expect(h.bodies().filter((b) => b.startsWith("Approved"))).toHaveLength(1);
  });

  test("a command that lost a race decides again on the run as it is now", async () => {
    let lose = 1;
    const h = anApp({
      runIds: ["RCE234"],
      runs: (store) => ({
        ...store,
        apply: async (runId, version, write, lookAt) => {
          if (lose === 0) return store.apply(runId, version, write, lookAt);
          lose -= 1;
          return false; // another writer got there first
        },
      }),
    });
    await h.text("run demo");
    await h.text("no RCE234");
    expect(h.runs.stored.get("RCE234")?.status).toBe("Denied");
    expect(h.bodies().at(-1)).toBe('Denied. Run RCE234 for job "demo" will not run.');
  });

  test("an answer that changes no run keeps its notice in the inbox until it is published", async () => {
    const h = anApp();
    await h.text("help", { providerMessageId: "h1" });
    await h.text("status NXPE23", { providerMessageId: "h2" });

    expect(h.bodies()).toEqual([
      "Commands: run <job> [key=value …] · yes [<id>] · no [<id>] · status <id> · cancel <id> · logs <id> · jobs · help <job> · pending · runs · whoami · link [<code>] · help",
      "Run NXPE23 not found.",
    ]);
    expect(h.lastAnswer()).toMatchObject({ intentType: "StatusQuery", runId: "NXPE23" });
    expect(h.inbox.stored.get("dev:h1")).toMatchObject({ state: "done", outbox: [] });
    expect(h.inbox.watched()).toEqual(new Map());
  });

  test("a refused command is answered and changes nothing", async () => {
    const h = anApp({ runIds: ["REF234"] });
    await h.text("run demo");
    await h.text("no REF234");
    const version = h.runs.stored.get("REF234")?.version;
    await h.text("yes REF234");
    expect(h.lastAnswer().outbound[0]?.body).toBe(
      "Run REF234 was already denied by dev:user1 at 12:00 UTC; nothing to approve.",
    );
    expect(h.runs.stored.get("REF234")?.version).toBe(version);
  });
});

describe("the sweep, on in-memory ports", () => {
  test("expires a run nobody approved in time, once", async () => {
    const h = anApp({ runIds: ["EXP234"], approvalTtlSeconds: 600 });
    await h.text("run demo");

    h.clock.now = T0 + 599_999;
    expect(await h.app.sweep()).toEqual({
      autoApproved: 0,
      expired: 0,
      escalated: 0,
      timedOut: 0,
      unclaimed: 0,
      republished: 0,
      slotsReleased: 0,
    });
    h.clock.now = T0 + 600_000;
    expect((await h.app.sweep()).expired).toBe(1);
    expect((await h.app.sweep()).expired).toBe(0);
    expect(h.bodies().at(-1)).toBe(
      'Run EXP234 for job "demo" expired: nobody approved it in time.',
    );
    expect(h.runs.watched()).toEqual(new Map());
  });

  test("republishes a stranded notice only once this process saw it pending for the age", async () => {
    const h = anApp({ runIds: ["STR234"], approvalTtlSeconds: 600, outboxAgeMs: 30_000 });
    await h.text("run demo");
    h.clock.now = T0 + 600_000;
    h.publisher.failNext("OutboundMessage");
    await expect(h.app.sweep()).rejects.toThrow("broker unreachable");
    // Expired: the requester is told (the request's copy, on the dev channel, is not edited).
    expect(h.runs.stored.get("STR234")?.outbox).toHaveLength(1);

    h.clock.now += 30_000;
    expect((await h.app.sweep()).republished).toBe(0); // first seen pending now
    h.clock.now += 30_000;
    expect((await h.app.sweep()).republished).toBe(1);
    expect(h.runs.stored.get("STR234")?.outbox).toEqual([]);
    expect(h.bodies().filter((b) => b.includes("expired"))).toHaveLength(1);
  });

  test("a notice left in the inbox by a crash is published by the sweep", async () => {
    const h = anApp({ outboxAgeMs: 0 });
    h.publisher.failNext("OutboundMessage");
    await expect(h.text("help", { providerMessageId: "lost" })).rejects.toThrow();
    expect(h.inbox.stored.get("dev:lost")?.outbox).toHaveLength(1);

    expect((await h.app.sweep()).republished).toBe(1);
    expect(h.bodies()).toEqual([expect.stringContaining("Commands:")]);
    expect(h.inbox.watched()).toEqual(new Map());
  });
});
