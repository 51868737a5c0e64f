import type { OutboundMessage, RunEvent } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aClosedRun, anOpenRun, aPeopleContext, asApprover } from "../testing/closed-runs.js";
import { T0 } from "../testing/run-builder.js";
import { decide, type RunInput } from "./decide.js";
import type { Decision } from "./decision.js";
import { requestTexts } from "./notices.js";
import { requestUpdates } from "./request-copies.js";
import type { Run } from "./stored-run.js";

/** 14:02 UTC on the day of T0 (12:00 UTC): after the approval's hour is up. */
const NOW = T0 + 2 * 3600_000 + 2 * 60_000;
const AT = new Date(NOW).toISOString();
/** Approvers told on channels that can edit a sent message, so each copy can follow the run. */
const EDITABLE = { bob: "telegram:2002", carol: "slack:U0CAROL", dave: "telegram:4004" };
const people = aPeopleContext(EDITABLE);
const closedRun = (approval: Record<string, unknown> = {}) =>
  aClosedRun(approval, "K7Q2MX", people);

/** An approver's request as sent; with a confirm code, ` <code>` after the yes. */
const request = (code = "") =>
  `Alice Doe asks to run job "demo", run K7Q2MX. Reply YES K7Q2MX${code} to approve or NO K7Q2MX to deny.`;
const OPEN_REQUEST = 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.';
const approveAndDeny = [
  { label: "Approve", reply: "yes K7Q2MX" },
  { label: "Deny", reply: "no K7Q2MX" },
];

function decideOn(run: Run, input: RunInput, withPeople = true): Decision {
  return decide(run, input, { now: NOW, commandId: "c1", ...(withPeople ? { people } : {}) });
}

/** The run once the decision is written. */
function after(run: Run, decision: Decision): Run {
  const change = decision.change;
  if (change === null) return run;
  return { ...run, ...change, version: run.version + 1, events: [...run.events, ...change.events] };
}

/** The decision's edits (notices replacing an earlier one), in order. */
const editsOf = (decision: Decision): OutboundMessage[] =>
  decision.outbound.filter((n) => n.replaces !== undefined);

const byPerson = (id: "alice" | "bob" | "carol" | "dave") => ({
  actor: `user:${id}` as const,
  replyTo: { channelId: "dev", conversation: `dev:${id}` },
  by: asApprover(id),
});
const user2 = {
  actor: "user:dev:user2" as const,
  replyTo: { channelId: "dev", conversation: "dev:user2" },
};

describe("the line under a request's copies", () => {
  test.for<[string, string, string]>([
    ["progress", requestTexts.progress("Bob Stone", 1, 2), "Approved by Bob Stone (1 of 2)."],
    [
      "approved",
      requestTexts.outcome({ tag: "approved", by: ["Bob Stone"], at: AT }),
      "Approved by Bob Stone at 14:02 UTC.",
    ],
    [
      "approved by several",
      requestTexts.outcome({ tag: "approved", by: ["Bob Stone", "Carol King"], at: AT }),
      "Approved by Bob Stone and Carol King at 14:02 UTC.",
    ],
    [
      "approved in open mode",
      requestTexts.outcome({ tag: "approved", by: ["dev:user1"], at: AT }),
      "Approved by dev:user1 at 14:02 UTC.",
    ],
    [
      "denied",
      requestTexts.outcome({ tag: "denied", by: ["Bob Stone"], at: AT }),
      "Denied by Bob Stone at 14:02 UTC.",
    ],
    [
      "expired",
      requestTexts.outcome({ tag: "expired", by: [], at: AT }),
      "Expired at 14:02 UTC: nobody decided in time.",
    ],
    [
      "cancelled",
      requestTexts.outcome({ tag: "cancelled", by: ["Alice Doe"], at: AT }),
      "Cancelled by Alice Doe at 14:02 UTC.",
    ],
  ])("%s: %s", ([, text, expected]) => {
    expect(text).toBe(expected);
  });
});

describe("the answer to a decision that came too late", () => {
  const run = { runId: "K7Q2MX", waitingForSlot: false };
  test.for<[string, string, string]>([
    [
      "approved",
      requestTexts.tooLate(run, { tag: "approved", by: ["Bob Stone"], at: AT }, "approve"),
      "Run K7Q2MX was already approved by Bob Stone at 14:02 UTC; nothing to approve.",
    ],
    [
      "denied",
      requestTexts.tooLate(run, { tag: "denied", by: ["Bob Stone"], at: AT }, "approve"),
      "Run K7Q2MX was already denied by Bob Stone at 14:02 UTC; nothing to approve.",
    ],
    [
      "approved, waiting for a slot",
      requestTexts.tooLate(
        { ...run, waitingForSlot: true },
        { tag: "approved", by: ["Bob Stone"], at: AT },
        "approve",
      ),
      "Run K7Q2MX was already approved by Bob Stone at 14:02 UTC and waits for a free slot; nothing to approve.",
    ],
    [
      "expired",
      requestTexts.tooLate(run, { tag: "expired", by: [], at: AT }, "deny"),
      "Run K7Q2MX already expired at 14:02 UTC; nothing to deny.",
    ],
    [
      "cancelled",
      requestTexts.tooLate(run, { tag: "cancelled", by: ["Alice Doe"], at: AT }, "deny"),
      "Run K7Q2MX was already cancelled by Alice Doe at 14:02 UTC; nothing to deny.",
    ],
  ])("%s: %s", ([, text, expected]) => {
    expect(text).toBe(expected);
  });
});

describe("open mode: the request's one copy follows the run", () => {
  const { run } = anOpenRun("K7Q2MX", { channelId: "telegram", from: "4242" });
  const edit = (tag: string, line: string) => ({
    channelId: "telegram",
    conversation: "telegram:4242",
    body: `${OPEN_REQUEST}\n${line}`,
    correlationId: "K7Q2MX",
    idempotencyKey: `approval-request:K7Q2MX:${tag}`,
    replaces: "approval-request:K7Q2MX",
  });

  test.for<[string, RunInput, ReturnType<typeof edit>]>([
    [
      "approved",
      { kind: "approve", ...user2 },
      edit("approved", "Approved by dev:user2 at 14:02 UTC."),
    ],
    ["denied", { kind: "deny", ...user2 }, edit("denied", "Denied by dev:user2 at 14:02 UTC.")],
    [
      "cancelled",
      { kind: "cancel", ...user2 },
      edit("cancelled", "Cancelled by dev:user2 at 14:02 UTC."),
    ],
    [
      "expired",
      { kind: "expire" },
      edit("expired", "Expired at 14:02 UTC: nobody decided in time."),
    ],
  ])("%s: the copy is edited, its buttons gone", ([, input, expected]) => {
    const decision = decideOn(run, input, false);

    expect(editsOf(decision)).toEqual([expected]);
    // The edit comes after what the decision told; what it told is not an edit.
    expect(decision.outbound.at(-1)).toEqual(expected);
  });

  test("a copy on a channel that cannot edit a sent message (dev, SMS) gets no edit", () => {
    const { run: onDev } = anOpenRun();

    const decision = decideOn(onDev, { kind: "approve", ...user2 }, false);

    expect(decision.outbound.map((n) => n.body)).toEqual([
      'Approved. Starting run K7Q2MX for job "demo"…',
    ]);
    expect(editsOf(decision)).toEqual([]);
  });

  test("a run that has moved on edits nothing more: a late cancel, a refused approval", () => {
    const approved = after(run, decideOn(run, { kind: "approve", ...user2 }, false));

    expect(editsOf(decideOn(approved, { kind: "cancel", ...user2 }, false))).toEqual([]);
    expect(editsOf(decideOn(approved, { kind: "approve", ...user2 }, false))).toEqual([]);
    expect(editsOf(decideOn(run, { kind: "status", replyTo: user2.replyTo }, false))).toEqual([]);
  });
});

describe("closed mode: every approver's copy follows the run", () => {
  const keysOf = (edits: OutboundMessage[]) => edits.map((n) => [n.idempotencyKey, n.replaces]);

  test("two of two: the first yes edits each copy with the progress, buttons kept; the second with the approval", () => {
    const { run } = closedRun({ required: 2 });

    const first = decideOn(run, { kind: "approve", ...byPerson("bob"), code: null });
    const second = decideOn(after(run, first), {
      kind: "approve",
      ...byPerson("carol"),
      code: null,
    });

    expect(editsOf(first)).toEqual([
      {
        channelId: "telegram",
        conversation: "telegram:2002",
        body: `${request()} It needs 2 approvals.\nApproved by Bob Stone (1 of 2).`,
        correlationId: "K7Q2MX",
        idempotencyKey: "approval-request:K7Q2MX:bob:progress:1",
        replaces: "approval-request:K7Q2MX:bob",
        actions: approveAndDeny,
      },
      {
        channelId: "slack",
        conversation: "slack:U0CAROL",
        body: `${request()} It needs 2 approvals.\nApproved by Bob Stone (1 of 2).`,
        correlationId: "K7Q2MX",
        idempotencyKey: "approval-request:K7Q2MX:carol:progress:1",
        replaces: "approval-request:K7Q2MX:carol",
        actions: approveAndDeny,
      },
    ]);
    expect(
      editsOf(second).map((n) => [n.conversation, n.idempotencyKey, n.body, n.actions]),
    ).toEqual([
      [
        "telegram:2002",
        "approval-request:K7Q2MX:bob:approved",
        `${request()} It needs 2 approvals.\nApproved by Bob Stone and Carol King at 14:02 UTC.`,
        undefined,
      ],
      [
        "slack:U0CAROL",
        "approval-request:K7Q2MX:carol:approved",
        `${request()} It needs 2 approvals.\nApproved by Bob Stone and Carol King at 14:02 UTC.`,
        undefined,
      ],
    ]);
  });

  test.for<[string, RunInput, string, string]>([
    [
      "approved",
      { kind: "approve", ...byPerson("bob"), code: null },
      "approved",
      "Approved by Bob Stone at 14:02 UTC.",
    ],
    [
      "denied",
      { kind: "deny", ...byPerson("carol") },
      "denied",
      "Denied by Carol King at 14:02 UTC.",
    ],
    [
      "cancelled by whoever asked",
      { kind: "cancel", ...byPerson("alice") },
      "cancelled",
      "Cancelled by Alice Doe at 14:02 UTC.",
    ],
    [
      "cancelled by an admin",
      { kind: "cancel", ...byPerson("dave") },
      "cancelled",
      "Cancelled by Dave Hill at 14:02 UTC.",
    ],
    ["expired", { kind: "expire" }, "expired", "Expired at 14:02 UTC: nobody decided in time."],
  ])("%s: each copy says so, its buttons gone", ([, input, tag, line]) => {
    const { run } = closedRun();

    const edits = editsOf(decideOn(run, input));

    expect(keysOf(edits)).toEqual([
      [`approval-request:K7Q2MX:bob:${tag}`, "approval-request:K7Q2MX:bob"],
      [`approval-request:K7Q2MX:carol:${tag}`, "approval-request:K7Q2MX:carol"],
    ]);
    expect(edits.map((n) => n.body)).toEqual([`${request()}\n${line}`, `${request()}\n${line}`]);
    expect(edits.every((n) => n.actions === undefined && n.correlationId === "K7Q2MX")).toBe(true);
  });

  test("a copy keeps its confirm code, and its buttons while the run waits", () => {
    const { run } = closedRun({ required: 2, confirmCode: true });

    const edits = editsOf(
      decideOn(run, {
        kind: "approve",
        ...byPerson("bob"),
        code: "BOB234",
        expectedCode: "BOB234",
      }),
    );

    expect(edits.map((n) => [n.body, n.actions])).toEqual([
      [
        `${request(" BOB234")} It needs 2 approvals.\nApproved by Bob Stone (1 of 2).`,
        [
          { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
          { label: "Deny", reply: "no K7Q2MX" },
        ],
      ],
      [
        `${request(" CAR234")} It needs 2 approvals.\nApproved by Bob Stone (1 of 2).`,
        [
          { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
          { label: "Deny", reply: "no K7Q2MX" },
        ],
      ],
    ]);
  });

  test("the copies escalation sent are edited too", () => {
    const { run } = closedRun();
    const due = { ...run, escalation: { at: new Date(T0).toISOString(), to: ["dave"] } };
    const escalated = after(due, decideOn(due, { kind: "escalate" }));

    const edits = editsOf(decideOn(escalated, { kind: "deny", ...byPerson("dave") }));

    expect(keysOf(edits).map(([key]) => key)).toEqual([
      "approval-request:K7Q2MX:bob:denied",
      "approval-request:K7Q2MX:carol:denied",
      "approval-request:K7Q2MX:dave:denied",
    ]);
    expect(edits[2]).toMatchObject({
      conversation: "telegram:4004",
      body: `${request()}\nDenied by Dave Hill at 14:02 UTC.`,
    });
  });

  test("of copies on Telegram and SMS, only Telegram's is edited", () => {
    const mixed = aPeopleContext({ bob: "telegram:2002", carol: "sms:+15551230003" });
    const { run } = aClosedRun({}, "K7Q2MX", mixed);

    const decision = decide(
      run,
      { kind: "approve", ...byPerson("bob"), code: null },
      {
        now: NOW,
        commandId: "c1",
        people: mixed,
      },
    );

    expect(keysOf(editsOf(decision))).toEqual([
      ["approval-request:K7Q2MX:bob:approved", "approval-request:K7Q2MX:bob"],
    ]);
  });

  test("what does not move the run on edits nothing: a wrong code, a refusal, an escalation, a status", () => {
    const { run } = closedRun({ confirmCode: true });
    const due = { ...run, escalation: { at: new Date(T0).toISOString(), to: ["dave"] } };

    const inputs: RunInput[] = [
      { kind: "approve", ...byPerson("bob"), code: "AAAAAA", expectedCode: "BOB234" },
      { kind: "approve", ...byPerson("alice"), code: "ALI234", expectedCode: "ALI234" },
      { kind: "deny", ...byPerson("alice") },
      { kind: "status", replyTo: byPerson("bob").replyTo, by: asApprover("bob") },
    ];
    for (const input of inputs) expect(editsOf(decideOn(run, input))).toEqual([]);
    expect(editsOf(decideOn(due, { kind: "escalate" }))).toEqual([]);
  });

  test("a job that approves by itself asked nobody: its approval edits nothing", () => {
    const { run } = closedRun({ autoApprove: true });
    const replyTo = { channelId: "dev", conversation: "dev:alice" };

    const decision = decideOn(run, { kind: "approve", actor: "policy", replyTo });

    expect(decision.change?.events.map((e) => e.type)).toContain("RunApproved");
    expect(editsOf(decision)).toEqual([]);
  });

  test("an escalated run of such a job edits the copies escalation sent, approved by policy", () => {
    const { run } = closedRun({ autoApprove: true });
    const added: RunEvent = {
      runId: "K7Q2MX",
      seq: 3,
      type: "ApprovalEscalated",
      at: AT,
      actor: "scheduler",
      payload: { added: ["dave"] },
    };
    const escalated = { ...run, events: [...run.events, added] };
    const replyTo = { channelId: "dev", conversation: "dev:alice" };

    const approved = decideOn(escalated, { kind: "approve", actor: "policy", replyTo });

    expect(editsOf(approved).map((n) => [n.idempotencyKey, n.body.split("\n")[1]])).toEqual([
      ["approval-request:K7Q2MX:dave:approved", "Approved by policy at 14:02 UTC."],
    ]);
    expect(requestUpdates(escalated, approved.change?.events ?? [], undefined)).toEqual([]);
  });
});
