import { expect } from "vitest";
import type { InboxEntry, InboxStore, RunStore, RunWrite } from "../app/ports.js";
import type { OutboxEntry, Run } from "../domain/stored-run.js";
import { aRun, T0 } from "./run-builder.js";

/*
 * What every RunStore and InboxStore must do, as cases run both against the
 * Mongo adapters (adapters/mongo/store-contract.int.test.ts) and against the
 * in-memory ports (testing/in-memory-ports.test.ts), so the fast app tests
 * stand on the same rules as the real ones.
 */

const at = (ms: number) => new Date(T0 + ms).toISOString();
const FAR = "9999-12-31T00:00:00.000Z";

const entry = (messageId: string): OutboxEntry => ({
  messageId,
  correlationId: "K7Q2MX",
  causationId: "in-1",
  occurredAt: at(0),
  type: "OutboundMessage",
  payload: {
    channelId: "dev",
    conversation: "dev:user1",
    body: messageId,
    correlationId: "K7Q2MX",
    idempotencyKey: messageId,
  },
});

const write = (fields: Partial<RunWrite> = {}): RunWrite => ({
  status: "Dispatching",
  attempt: 1,
  lastHeartbeatAt: null,
  approvedAt: null,
  waitingForSlot: false,
  updatedAt: at(1_000),
  events: [],
  outbox: [],
  processed: [],
  ...fields,
});

export const runStoreCases: [string, (runs: RunStore) => Promise<void>][] = [
  [
    "an insert never overwrites a run",
    async (runs) => {
      expect(await runs.insert(aRun({ jobKey: "first" }), null)).toBe("inserted");
      expect(await runs.insert(aRun({ jobKey: "second" }), null)).toBe("exists");
      expect((await runs.find("K7Q2MX"))?.jobKey).toBe("first");
      expect(await runs.find("NXNE23")).toBeNull();
    },
  ],
  [
    "a write applies only at the version read, and appends",
    async (runs) => {
      await runs.insert(aRun({ version: 3 }), null);
      const first = write({ outbox: [entry("a")], processed: [] });
      expect(await runs.apply("K7Q2MX", 3, first, null)).toBe(true);
      expect(await runs.apply("K7Q2MX", 3, write({ status: "Denied" }), null)).toBe(false);
      const run = await runs.find("K7Q2MX");
      expect(run).toMatchObject({ version: 4, status: "Dispatching", outbox: [entry("a")] });
      expect(run?.events).toHaveLength(1);
    },
  ],
  [
    "published entries are removed exactly",
    async (runs) => {
      await runs.insert(aRun({ outbox: [entry("a"), entry("b")] }), null);
      await runs.removeOutbox("K7Q2MX", [entry("a")]);
      expect((await runs.find("K7Q2MX"))?.outbox).toEqual([entry("b")]);
    },
  ],
  [
    "a look is announced before the write; a plan from an older state is dropped",
    async (runs) => {
      await runs.insert(aRun({ version: 3 }), at(60_000));
      expect(await runs.due(at(59_999), 10)).toEqual([]);
      const [watched] = await runs.due(at(60_000), 10);
      expect(watched).toMatchObject({ runId: "K7Q2MX", intent: 3 });
      await runs.apply("K7Q2MX", 3, write(), at(30_000)); // announces intent 4, sooner
      await runs.settle({ runId: "K7Q2MX", intent: 3 }, null); // planned at 3: dropped
      expect(await runs.due(FAR, 10)).toEqual([
        expect.objectContaining({ runId: "K7Q2MX", intent: 4 }),
      ]);
      await runs.settle({ runId: "K7Q2MX", intent: 4 }, null);
      expect(await runs.due(FAR, 10)).toEqual([]);
    },
  ],
];

const waiting = (runId: string, approvedMs: number, jobKey = "deploy") =>
  aRun({ runId, jobKey, status: "Dispatching", waitingForSlot: true, approvedAt: at(approvedMs) });

export const waitingRunCases: [string, (runs: RunStore) => Promise<void>][] = [
  [
    "the run of a job waiting longest for a slot is found, ties broken by run id",
    async (runs) => {
      expect(await runs.oldestWaitingForSlot("deploy")).toBeNull();
      await runs.insert(waiting("W3", 2_000), null);
      await runs.insert(waiting("W2", 1_000), null);
      await runs.insert(waiting("W1", 1_000), null);
      await runs.insert(waiting("B1", 0, "build"), null);
      const dispatched = { status: "Dispatching" as const, approvedAt: at(0) };
      await runs.insert(aRun({ runId: "D1", jobKey: "deploy", ...dispatched }), null);
      await runs.insert(aRun({ runId: "C1", jobKey: "deploy", status: "Cancelled" }), null);
      expect(await runs.oldestWaitingForSlot("deploy")).toBe("W1");
      expect(await runs.oldestWaitingForSlot("build")).toBe("B1");

      const admitted = write({ attempt: 1, approvedAt: at(1_000), waitingForSlot: false });
      expect(await runs.apply("W1", 3, admitted, null)).toBe(true);
      expect(await runs.oldestWaitingForSlot("deploy")).toBe("W2");
    },
  ],
  [
    "a run made to wait by a write, admitted, then made to wait again is found each time it waits",
    async (runs) => {
      await runs.insert(aRun({ runId: "W1", jobKey: "deploy", status: "Dispatching" }), null);
      const waits = write({ approvedAt: at(1_000), waitingForSlot: true });
      expect(await runs.apply("W1", 3, waits, null)).toBe(true);
      expect(await runs.oldestWaitingForSlot("deploy")).toBe("W1");
      expect(await runs.apply("W1", 4, write({ approvedAt: at(1_000) }), null)).toBe(true);
      expect(await runs.oldestWaitingForSlot("deploy")).toBeNull();
      expect(await runs.apply("W1", 5, waits, null)).toBe(true);
      expect(await runs.oldestWaitingForSlot("deploy")).toBe("W1");
    },
  ],
  [
    "a write refused by its version guard leaves no run waiting, and hides none behind it",
    async (runs) => {
      await runs.insert(aRun({ runId: "A1", jobKey: "deploy", status: "Dispatching" }), null);
      const waits = write({ approvedAt: at(0), waitingForSlot: true });
      expect(await runs.apply("A1", 7, waits, null)).toBe(false);
      expect(await runs.oldestWaitingForSlot("deploy")).toBeNull();
      await runs.insert(waiting("B2", 5_000), null);
      expect(await runs.oldestWaitingForSlot("deploy")).toBe("B2");
    },
  ],
];

/** A run asked for by alice at T0 + `createdMs`, with `approvers`, and events after its creation. */
function askedFor(
  runId: string,
  createdMs: number,
  fields: Partial<Run> & { later?: Run["events"] } = {},
): Run {
  const { later = [], ...rest } = fields;
  const run = aRun({ runId, requestedBy: "alice", approvers: ["bob"], createdAt: at(createdMs) });
  const events = [...run.events, ...later].map((e, i) => ({ ...e, runId, seq: i + 1 }));
  return { ...run, ...rest, events };
}

const event = <T extends Run["events"][number]["type"]>(
  type: T,
  payload: Extract<Run["events"][number], { type: T }>["payload"],
) =>
  ({
    runId: "K7Q2MX",
    seq: 2,
    type,
    at: at(0),
    actor: "user:x" as const,
    payload,
  }) as Run["events"][number];

const approvedBy = (person: string) =>
  event("ApprovalGiven", { person, address: `dev:${person}`, count: 1, required: 2 });

export const peopleQueryCases: [string, (runs: RunStore) => Promise<void>][] = [
  [
    "the runs waiting for a person's decision, escalation included, oldest first",
    async (runs) => {
      expect(await runs.waitingForDecisionOf("bob", 5)).toEqual([]);
      await runs.insert(askedFor("NEWER2", 2_000), null);
      await runs.insert(askedFor("OLDER1", 1_000), null);
      const escalated = [event("ApprovalEscalated", { added: ["bob"] })];
      await runs.insert(
        askedFor("ESCAL3", 1_500, { approvers: ["carol"], later: escalated }),
        null,
      );
      await runs.insert(askedFor("GIVEN4", 500, { later: [approvedBy("bob")] }), null);
      await runs.insert(askedFor("CAROL5", 500, { approvers: ["carol"] }), null);
      await runs.insert(askedFor("DENIE6", 500, { status: "Denied" }), null);
      await runs.insert(aRun({ runId: "OPEN77", createdAt: at(0) }), null);

      const waiting = await runs.waitingForDecisionOf("bob", 5);
      expect(waiting.map((r) => r.runId)).toEqual(["OLDER1", "ESCAL3", "NEWER2"]);
      expect(waiting[0]).toEqual({
        runId: "OLDER1",
        jobKey: "demo",
        parameters: [],
        status: "AwaitingApproval",
        createdAt: at(1_000),
        requestedBy: "alice",
      });
      expect((await runs.waitingForDecisionOf("bob", 2)).map((r) => r.runId)).toEqual([
        "OLDER1",
        "ESCAL3",
      ]);
      expect((await runs.waitingForDecisionOf("carol", 5)).map((r) => r.runId)).toEqual([
        "CAROL5",
        "ESCAL3",
      ]);
    },
  ],
  [
    "a person's latest runs, newest first, ties broken by run id",
    async (runs) => {
      expect(await runs.latestRequestedBy("alice", 5)).toEqual([]);
      for (const [runId, ms] of [
        ["R1", 1_000],
        ["R3", 3_000],
        ["R2", 2_000],
        ["R4", 3_000],
      ] as const) {
        await runs.insert(askedFor(runId, ms, { status: "Succeeded" }), null);
      }
      await runs.insert(askedFor("BOBS", 9_000, { requestedBy: "bob" }), null);
      await runs.insert(aRun({ runId: "OPEN", createdAt: at(9_000) }), null);

      const latest = await runs.latestRequestedBy("alice", 3);
      expect(latest.map((r) => r.runId)).toEqual(["R4", "R3", "R2"]);
      expect(latest[0]).toMatchObject({ status: "Succeeded", requestedBy: "alice" });
    },
  ],
];

const inboxEntry = (providerMessageId: string): InboxEntry => ({
  channelId: "dev",
  providerMessageId,
  messageId: `m-${providerMessageId}`,
  receivedAt: at(0),
  state: "processing",
  runId: null,
  reply: null,
  outbox: [],
});

export const inboxStoreCases: [string, (inbox: InboxStore) => Promise<void>][] = [
  [
    "a message is recorded once; again, the first record is returned",
    async (inbox) => {
      expect(await inbox.record(inboxEntry("p1"))).toEqual({ kind: "recorded" });
      const again = await inbox.record({ ...inboxEntry("p1"), messageId: "other" });
      expect(again).toEqual({ kind: "duplicate", existing: inboxEntry("p1") });
    },
  ],
  [
    "notices kept are announced, seen landed, removed exactly, then settled",
    async (inbox) => {
      const key = { channelId: "dev", providerMessageId: "p2" };
      await inbox.record(inboxEntry("p2"));
      const plan = { now: at(0), lookAt: at(30_000) };
      const watched = await inbox.complete(key, null, [entry("a"), entry("b")], plan);
      expect(watched).toEqual({ key, intent: 1, announcedAt: at(0) });
      if (!watched || watched === "already-done") return;
      expect(await inbox.due(at(30_000), 10)).toEqual([watched]);
      const found = await inbox.find(watched);
      expect(found).toMatchObject({ landed: true, entry: { state: "done" } });
      expect(await inbox.find({ ...watched, intent: 2 })).toMatchObject({ landed: false });
      await inbox.removeOutbox(key, [entry("a")]);
      expect((await inbox.find(watched))?.entry.outbox).toEqual([entry("b")]);
      await inbox.settle(watched, null);
      expect(await inbox.due(FAR, 10)).toEqual([]);
    },
  ],
  [
    "only the first of two deliveries completes an entry: the second keeps nothing",
    async (inbox) => {
      const key = { channelId: "dev", providerMessageId: "p4" };
      await inbox.record(inboxEntry("p4"));
      const plan = { now: at(0), lookAt: at(30_000) };
      await inbox.complete(key, null, [entry("a")], plan);

      expect(await inbox.complete(key, null, [entry("b")], plan)).toBe("already-done");
      expect(await inbox.complete(key, null, [])).toBe("already-done");
      const [watched] = await inbox.due(FAR, 10);
      expect(watched && (await inbox.find(watched))?.entry.outbox).toEqual([entry("a")]);
    },
  ],
  [
    "an answer alone needs no look",
    async (inbox) => {
      const key = { channelId: "dev", providerMessageId: "p3" };
      await inbox.record(inboxEntry("p3"));
      expect(await inbox.complete(key, null, [])).toBeNull();
      expect(await inbox.due(FAR, 10)).toEqual([]);
      expect((await inbox.record(inboxEntry("p3"))).kind).toBe("duplicate");
    },
  ],
];
