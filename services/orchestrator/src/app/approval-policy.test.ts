import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { catalogFrom } from "../testing/test-catalog.js";
import { aTeam } from "../testing/test-directory.js";

const catalog = () =>
  catalogFrom(`
jobs:
  demo:
    description: Demo
    executor: { kind: builtin, name: demo }
    approval: { allowSelfApproval: true }
  deploy:
    description: Deploy
    parameters:
      service: { type: enum, values: [api, web], required: true }
      replicas: { type: int, default: 2 }
    executor: { kind: builtin, name: demo }
    access: { roles: [dev, ops] }
    approval:
      approvers: { roles: [ops] }
      required: 2
      expiresAfter: 30m
      escalateAfter: 10m
      escalateTo: { users: [dave] }
  restart:
    description: Restart
    executor: { kind: builtin, name: demo }
    approval: { approvers: { users: [bob, carol] }, confirmCode: true }
`);

const MINUTE = 60_000;

function aClosedApp(runIds = ["DEP234"]) {
  const h = anApp({ runIds, catalog: catalog(), directory: aTeam() });
  return {
    ...h,
    dispatches: () => h.publisher.published.filter((p) => p.type === "ExecutionDispatch"),
    events: (runId: string) =>
      (h.runs.stored.get(runId)?.events ?? []).map((e) => `${e.type} ${e.actor}`),
  };
}

/** The confirm code a request text asks its reader to repeat. */
const codeIn = (text: string | undefined) => /Reply YES \w+ (\w+) /.exec(text ?? "")?.[1] ?? "";

describe("approvals under a job's policy (closed mode)", () => {
  test("the requester is told who must approve; each approver gets the request, with every value, in their own conversation", async () => {
    const h = aClosedApp();

    await h.text("run deploy service=api", { from: "alice" });

    expect(h.to("dev:alice")).toEqual([
      'Run DEP234 for job "deploy" (service=api replicas=2) waits for approval. Needs 2 approvals from: Bob, Carol.',
    ]);
    const request =
      'Alice asks to run job "deploy" (service=api replicas=2), run DEP234. Reply YES DEP234 to approve or NO DEP234 to deny. It needs 2 approvals.';
    expect(h.to("dev:bob-phone")).toEqual([request]);
    expect(h.to("dev:carol")).toEqual([request]);
    expect(h.runs.stored.get("DEP234")).toMatchObject({
      requestedBy: "alice",
      approvers: ["bob", "carol"],
    });
    expect(h.events("DEP234")).toEqual(["RunCreated user:alice", "ApprovalRequested system"]);
    // Her answer shows her own notice, never an approver's request.
    expect(h.lastAnswer().outbound.map((n) => n.conversation)).toEqual(["dev:alice"]);
  });

  test("four eyes: the requester's own yes is refused and changes nothing", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=api", { from: "alice" });
    const before = h.runs.stored.get("DEP234")?.version;

    await h.text("yes DEP234", { from: "alice" });

    expect(h.to("dev:alice").at(-1)).toBe(
      "You asked for run DEP234; someone else must approve it.",
    );
    expect(h.runs.stored.get("DEP234")?.version).toBe(before);
  });

  test("two of two: a repeated yes counts once, the second person's dispatches, and the requester hears who approved", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=api", { from: "alice" });

    await h.text("yes DEP234", { from: "bob" });
    await h.text("yes DEP234", { from: "bob-phone" });
    expect(h.dispatches()).toEqual([]);
    await h.text("yes DEP234", { from: "carol" });

    expect(h.to("dev:bob")).toEqual(["Approved by Bob (1 of 2). Run DEP234 needs 1 more."]);
    expect(h.to("dev:bob-phone").slice(1)).toEqual(["You already approved run DEP234."]);
    expect(h.to("dev:alice").slice(1)).toEqual([
      "Approved by Bob (1 of 2). Run DEP234 needs 1 more.",
      'Run DEP234 for job "deploy" was approved by Bob and Carol.',
    ]);
    expect(h.to("dev:carol").slice(1)).toEqual(['Approved. Starting run DEP234 for job "deploy"…']);
    expect(h.events("DEP234").slice(2)).toEqual([
      "ApprovalGiven user:bob",
      "ApprovalGiven user:carol",
      "RunApproved user:carol",
      "ExecutionDispatched system",
    ]);
    const [dispatch] = h.dispatches();
    expect(dispatch?.payload).toMatchObject({
      requestedBy: "user:alice",
      approvedBy: ["user:bob", "user:carol"],
    });
  });

  test("someone who is not an approver, or not in the directory, changes nothing", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=api", { from: "alice" });
    const version = h.runs.stored.get("DEP234")?.version;

    await h.text("yes DEP234", { from: "erin" });
    await h.text("yes DEP234", { from: "mallory" });
    await h.text("yes DEP234", { from: "mallory" });
    await h.text("run demo", { from: "mallory" });

    expect(h.to("dev:erin")).toEqual(["You are not an approver of run DEP234."]);
    expect(h.to("dev:mallory")).toEqual(["This address is not registered with TextOps."]);
    expect(h.runs.stored.get("DEP234")?.version).toBe(version);
    expect(h.runs.stored.size).toBe(1);
  });

  test("one denial by an approver ends the run Denied, and the requester hears who denied it", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=api", { from: "alice" });
    await h.text("no DEP234", { from: "alice" });

    await h.text("no DEP234", { from: "carol" });

    expect(h.to("dev:alice").slice(1)).toEqual([
      "To withdraw run DEP234, send CANCEL DEP234.",
      'Run DEP234 for job "deploy" was denied by Carol; it will not run.',
    ]);
    expect(h.runs.stored.get("DEP234")?.status).toBe("Denied");
    expect(h.events("DEP234").at(-1)).toBe("RunDenied user:carol");
  });

  test("a confirm code: missing, wrong (counted), forwarded to another approver, then right", async () => {
    const h = aClosedApp(["RST234"]);
    await h.text("run restart", { from: "alice" });
    const bobsCode = codeIn(h.to("dev:bob-phone")[0]);
    const carolsCode = codeIn(h.to("dev:carol")[0]);
    expect(bobsCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(carolsCode).not.toBe(bobsCode);

    await h.text("yes RST234", { from: "bob" });
    await h.text("yes RST234 AAAAAA", { from: "bob" });
    await h.text(`yes RST234 ${carolsCode}`, { from: "bob" });
    expect(h.dispatches()).toEqual([]);
    await h.text(`yes RST234 ${bobsCode.toLowerCase()}`, { from: "bob" });

    expect(h.to("dev:bob")).toEqual([
      "Run RST234 needs your confirm code: reply YES RST234 <code>.",
      "That confirm code is not right for run RST234.",
      "That confirm code is not right for run RST234.",
      'Approved. Starting run RST234 for job "restart"…',
    ]);
    expect(h.events("RST234").slice(2)).toEqual([
      "ConfirmCodeRefused user:bob",
      "ConfirmCodeRefused user:bob",
      "ApprovalGiven user:bob",
      "RunApproved user:bob",
      "ExecutionDispatched system",
    ]);
  });

  test("after five wrong codes an approver's yes is no longer taken", async () => {
    const h = aClosedApp(["RST234"]);
    await h.text("run restart", { from: "alice" });
    const code = codeIn(h.to("dev:bob-phone")[0]);
    for (let i = 0; i < 5; i++) await h.text("yes RST234 AAAAAA", { from: "bob" });

    await h.text(`yes RST234 ${code}`, { from: "bob" });

    expect(h.to("dev:bob").at(-1)).toBe(
      "Too many wrong confirm codes for run RST234: your approval is no longer taken.",
    );
    expect(h.dispatches()).toEqual([]);
  });

  test("escalation: after escalateAfter the run also goes to the people named, once, on the timeline", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=web", { from: "alice" });

    h.clock.now += 9 * MINUTE;
    await h.app.sweep();
    expect(h.to("dev:dave")).toEqual([]);
    h.clock.now += 1 * MINUTE;
    await h.app.sweep();
    await h.app.sweep();

    expect(h.to("dev:dave")).toEqual([
      'Alice asks to run job "deploy" (service=web replicas=2), run DEP234. Reply YES DEP234 to approve or NO DEP234 to deny. It needs 2 approvals.',
    ]);
    expect(h.to("dev:alice").at(-1)).toBe(
      "Run DEP234 still waits for approval; it now goes to Dave as well.",
    );
    expect(h.events("DEP234").slice(2)).toEqual(["ApprovalEscalated scheduler"]);
    await h.text("yes DEP234", { from: "dave" });
    expect(h.to("dev:dave").at(-1)).toBe("Approved by Dave (1 of 2). Run DEP234 needs 1 more.");
  });

  test("expiry tells the requester and every approver; a yes after it is too late", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=api", { from: "alice" });
    h.clock.now += 30 * MINUTE;

    await h.app.sweep();
    await h.text("yes DEP234", { from: "bob" });

    const expired = 'Run DEP234 for job "deploy" expired: nobody approved it in time.';
    expect(h.to("dev:alice").at(-1)).toBe(expired);
    expect(h.to("dev:carol").at(-1)).toBe(expired);
    expect(h.to("dev:bob-phone").at(-1)).toBe(expired);
    expect(h.to("dev:bob").at(-1)).toBe(
      "Run DEP234 already expired at 12:30 UTC; nothing to approve.",
    );
  });

  test("a person without access is told so, and no run is made; jobs lists what they may run", async () => {
    const h = aClosedApp();

    await h.text("run deploy service=api", { from: "erin" });
    await h.text("jobs", { from: "erin" });

    expect(h.to("dev:erin")).toEqual([
      'You may not run job "deploy": it is only for roles dev, ops.',
      "Jobs:\ndemo: Demo\nrestart: Restart\nSend HELP <job> for one job's parameters.",
    ]);
    expect(h.runs.stored.size).toBe(0);
  });

  test("a run is not there for someone who takes no part in it; an admin may cancel it", async () => {
    const h = aClosedApp();
    await h.text("run deploy service=api", { from: "alice" });

    await h.text("status DEP234", { from: "erin" });
    await h.text("cancel DEP234", { from: "erin" });
    await h.text("cancel DEP234", { from: "dave" });

    expect(h.to("dev:erin")).toEqual(["Run DEP234 not found.", "Run DEP234 not found."]);
    expect(h.runs.stored.get("DEP234")?.status).toBe("Cancelled");
    expect(h.events("DEP234").at(-1)).toBe("RunCancelled user:dave");
    expect(h.runs.stored.get("DEP234")?.events.at(-1)?.payload).toEqual({
      previousStatus: "AwaitingApproval",
      address: "dev:dave",
    });
  });

  test("a job that allows self-approval is asked for and approved by one person, as in the quickstart", async () => {
    const h = aClosedApp();

    await h.text("run demo", { from: "alice" });
    await h.text("yes DEP234", { from: "alice" });

    expect(h.runs.stored.get("DEP234")?.status).toBe("Dispatching");
    expect(h.events("DEP234")).toContain("RunApproved user:alice");
  });
});
