import type { RunEvent, RunSummary, RunTimeline } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { maySeeConversation, maySeeRun, type Reader, type Viewer } from "./read-access.js";

const AT = "2024-01-01T12:00:00.000Z";

const person = (id: string, roles: string[] = []): Viewer => ({
  id,
  roles,
  addresses: [`dev:${id}`, "sms:+15551230001"],
});
const as = (viewer: Viewer): Reader => ({ mode: "closed", person: viewer });

const alice = as(person("alice"));
const bob = as(person("bob"));
const carol = as(person("carol"));
const erin = as(person("erin"));
const root = as(person("root", ["ops", "admin"]));
const ops = as(person("olga", ["ops"]));
const anyone: Reader = { mode: "open" };

/** A run awaiting approval with these people's fields; none given is a run of open mode. */
function aTimeline(
  run: Pick<RunSummary, "requestedBy" | "approvers"> = {},
  events: RunEvent[] = [],
): RunTimeline {
  return {
    run: {
      runId: "K7Q2MX",
      jobKey: "demo",
      status: "AwaitingApproval",
      createdAt: AT,
      requestedByAddress: "dev:alice",
      ...run,
      channelId: "dev",
      conversationId: "dev:alice",
      parameters: [],
      attempt: 0,
      updatedAt: AT,
    },
    events,
  };
}

const escalatedTo = (added: string[]): RunEvent => ({
  runId: "K7Q2MX",
  seq: 3,
  type: "ApprovalEscalated",
  at: AT,
  actor: "scheduler",
  payload: { added },
});

const requestedOf = (approvers: string[]): RunEvent => ({
  runId: "K7Q2MX",
  seq: 2,
  type: "ApprovalRequested",
  at: AT,
  actor: "system",
  payload: { policy: "JobPolicy", expiresAt: AT, approvers },
});

const closedRun = aTimeline({ requestedBy: "alice", approvers: ["bob"] });
const escalated = aTimeline({ requestedBy: "alice", approvers: ["bob"] }, [escalatedTo(["carol"])]);
const requestedOnly = aTimeline({ requestedBy: "alice" }, [requestedOf(["bob"])]);
const openRun = aTimeline();

describe(maySeeRun.name, () => {
  test.each([
    ["the requester", alice, closedRun, true],
    ["an approver", bob, closedRun, true],
    ["someone else", carol, closedRun, false],
    ["a person with another role", ops, closedRun, false],
    ["an admin", root, closedRun, true],
    ["someone escalated to", carol, escalated, true],
    ["an approver, after escalation", bob, escalated, true],
    ["someone else, after escalation", erin, escalated, false],
    ["an approver named only by the request", bob, requestedOnly, true],
    ["a non-admin, on a run of open mode", alice, openRun, false],
    ["an admin, on a run of open mode", root, openRun, true],
    ["anyone in open mode, on a run of open mode", anyone, openRun, true],
    ["anyone in open mode, on a run of a closed directory", anyone, closedRun, true],
  ] as const)("%s: %j", (_who, reader, timeline, expected) => {
    expect(maySeeRun(reader, timeline)).toBe(expected);
  });

  test("a run that names an approver list without the person is not theirs by role alone", () => {
    const run = aTimeline({ requestedBy: "alice", approvers: ["ops"] });

    expect(maySeeRun(ops, run)).toBe(false);
  });
});

describe(maySeeConversation.name, () => {
  test.each([
    ["their own dev address", alice, "dev:alice", true],
    ["another's", alice, "dev:bob", false],
    ["an address that is theirs on another channel", alice, "dev:sms:+15551230001", false],
    ["an admin, another's", root, "dev:alice", true],
    ["anyone in open mode", anyone, "dev:alice", true],
  ] as const)("%s (%s): %j", (_who, reader, conversation, expected) => {
    expect(maySeeConversation(reader, conversation)).toBe(expected);
  });
});
