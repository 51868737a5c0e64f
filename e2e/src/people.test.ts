import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "@textops/testing";
import { testWithOneSystem } from "./fixtures.js";
import { devClient, stateEvents, type RunView } from "./http-client.js";
import { writeUsersFile } from "./users-file.js";

/*
 * Closed mode through the processes: a directory of people, a catalog whose
 * jobs carry approval policies, and every text sent and read back the way a
 * person would, each in their own dev conversation. The tests share one
 * system; each works on runs of its own and reads only the texts about them.
 */

const people = writeUsersFile({
  alice: { name: "Alice", roles: ["dev"], addresses: ["dev:alice"] },
  bob: { name: "Bob", roles: ["ops"], addresses: ["dev:bob", "dev:bob-phone"] },
  // Carol's notices go to her second address.
  carol: {
    name: "Carol",
    roles: ["ops"],
    addresses: ["dev:carol-desk", "dev:carol"],
    notify: "dev:carol",
  },
  dave: { name: "Dave", roles: ["ops"], addresses: ["dev:dave"] },
  erin: { name: "Erin", roles: ["dev"], addresses: ["dev:erin"] },
  frank: { name: "Frank", roles: ["lead"], addresses: ["dev:frank"] },
  root: { name: "Root", roles: ["admin"], addresses: ["dev:root"] },
  gina: { name: "Gina", roles: ["qa"], addresses: ["dev:gina"] },
});

function catalogFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "jobs-")), "jobs.yaml");
  const demo = "    executor: { kind: builtin, name: demo }";
  writeFileSync(
    file,
    [
      "jobs:",
      "  release:",
      "    description: Release a version",
      "    parameters:",
      "      version: { type: string, required: true }",
      demo,
      "    access: { roles: [dev, ops] }",
      "    approval: { approvers: { roles: [ops] }, required: 2 }",
      "  hotfix:",
      "    description: Ship a hotfix",
      demo,
      "    approval: { approvers: { users: [bob, carol] }, expiresAfter: 3s }",
      "  nightly:",
      "    description: Start the nightly build",
      demo,
      "    approval:",
      "      approvers: { users: [dave] }",
      "      escalateAfter: 2s",
      "      escalateTo: { users: [frank] }",
      "  smoke:",
      "    description: Run the smoke tests",
      demo,
      "    approval: { approvers: { users: [gina] } }",
      "  restart:",
      "    description: Restart a service",
      demo,
      "    approval: { approvers: { users: [bob, carol] }, confirmCode: true }",
      "",
    ].join("\n"),
  );
  return file;
}

const test = testWithOneSystem({
  workers: 1,
  usersFile: people.path,
  jobsFile: catalogFile(),
  sweepIntervalSeconds: 0.2,
}).extend("client", { scope: "file" }, ({ system }) =>
  devClient(system.baseUrl, { apiToken: people.adminToken }),
);

type Client = ReturnType<typeof devClient>;

/** `from` asks for a run; its id. */
async function ask(client: Client, from: string, text: string): Promise<string> {
  const reply = await client.send(text, { from });
  if (reply.runId === null) {
    throw new Error(`${text} from ${from} made no run: ${reply.outbound[0]?.body}`);
  }
  return reply.runId;
}

/** The first text of a reply: what the sender reads at once. */
async function answer(client: Client, from: string, text: string): Promise<string | undefined> {
  return (await client.send(text, { from })).outbound[0]?.body;
}

/** Waits for the text to reach the conversation; returns the texts there about this run. */
async function until(client: Client, conversation: string, runId: string, text: string) {
  const all = await client.untilMessage(conversation, (m) => m === text);
  return all.filter((m) => m.includes(runId));
}

const timeline = (view: RunView) => stateEvents(view).map((e) => `${e.type} ${e.actor}`);

/** The confirm code an approval request asks its reader to repeat. */
const codeIn = (request: string | undefined) => /Reply YES \w+ (\w+) to/.exec(request ?? "")?.[1];

describe("people and approval policies, end to end (closed mode)", () => {
  // The system starts under the hook's timeout, not the first test's.
  test.beforeAll(async ({ client }) => {
    expect(await client.messages("dev:root")).toEqual([]);
  });

  test("four eyes: the requester's own yes, from any of their addresses, is refused and the run keeps waiting", async ({
    client,
  }) => {
    const asked = await client.send("run release version=v1.0.0", { from: "bob" });
    const runId = asked.runId ?? "";
    expect(asked.outbound[0]?.body).toBe(
      `Run ${runId} for job "release" (version=v1.0.0) waits for approval. Needs 2 approvals from: Carol, Dave.`,
    );

    const refused = `You asked for run ${runId}; someone else must approve it.`;
    expect(await answer(client, "bob", `yes ${runId}`)).toBe(refused);
    expect(await answer(client, "bob-phone", `yes ${runId}`)).toBe(refused);

    const view = await client.run(runId);
    expect(view.run).toMatchObject({ status: "AwaitingApproval", requestedBy: "bob" });
    expect(view.run.approvers).toEqual(["carol", "dave"]);
    expect(timeline(view)).toEqual(["RunCreated user:bob", "ApprovalRequested system"]);
  });

  test("two of three: each approver is asked in their own conversation, a repeated yes counts once, the second person's yes runs it", async ({
    client,
  }) => {
    const runId = await ask(client, "alice", "run release version=v2.0.0");
    const request = `Alice asks to run job "release" (version=v2.0.0), run ${runId}. Reply YES ${runId} to approve or NO ${runId} to deny. It needs 2 approvals.`;
    for (const conversation of ["dev:bob", "dev:carol", "dev:dave"]) {
      expect(await until(client, conversation, runId, request)).toEqual([request]);
    }

    expect(await answer(client, "bob", `yes ${runId}`)).toBe(
      `Approved by Bob (1 of 2). Run ${runId} needs 1 more.`,
    );
    expect(await answer(client, "bob-phone", `yes ${runId}`)).toBe(
      `You already approved run ${runId}.`,
    );
    expect((await client.run(runId)).run.status).toBe("AwaitingApproval");
    const approved = await client.send(`yes ${runId}`, { from: "carol" });
    expect(approved.dispatchedExecution).toBe(true);
    expect(approved.outbound[0]?.body).toBe(`Approved. Starting run ${runId} for job "release"…`);

    const view = await client.untilStatus(runId, "Succeeded", "Failed");
    expect(view.run).toMatchObject({
      status: "Succeeded",
      requestedBy: "alice",
      requestedByAddress: "dev:alice",
      approvers: ["bob", "carol", "dave"],
    });
    expect(timeline(view)).toEqual([
      "RunCreated user:alice",
      "ApprovalRequested system",
      "ApprovalGiven user:bob",
      "ApprovalGiven user:carol",
      "RunApproved user:carol",
      "ExecutionDispatched system",
      "ExecutionStarted worker:worker-1",
      "ExecutionSucceeded worker:worker-1",
    ]);
    const succeeded = `Run ${runId} succeeded: Job 'demo' completed successfully`;
    const told = await until(client, "dev:alice", runId, succeeded);
    expect(told.toSorted()).toEqual(
      [
        `Run ${runId} for job "release" (version=v2.0.0) waits for approval. Needs 2 approvals from: Bob, Carol, Dave.`,
        `Approved by Bob (1 of 2). Run ${runId} needs 1 more.`,
        `Run ${runId} for job "release" was approved by Bob and Carol.`,
        succeeded,
      ].toSorted(),
    );
  });

  test("someone who is not an approver of the run is refused, and nothing changes", async ({
    client,
  }) => {
    const runId = await ask(client, "alice", "run release version=v3.0.0");

    expect(await answer(client, "erin", `yes ${runId}`)).toBe(
      `You are not an approver of run ${runId}.`,
    );
    expect(await answer(client, "erin", `no ${runId}`)).toBe(
      `You are not an approver of run ${runId}.`,
    );

    const view = await client.run(runId);
    expect(view.run.status).toBe("AwaitingApproval");
    expect(timeline(view)).toEqual(["RunCreated user:alice", "ApprovalRequested system"]);
  });

  test("an address nobody in the directory holds is told so once, then gets silence; no run is made or approved", async ({
    client,
    servers,
  }) => {
    const runId = await ask(client, "alice", "run release version=v4.0.0");
    const runs = servers.db.collection("runs");
    const before = await runs.countDocuments();
    const refused = "This address is not registered with TextOps.";

    const first = await client.send("run release version=v4.0.1", { from: "mallory" });
    expect(first.runId).toBeNull();
    expect(first.outbound.map((m) => m.body)).toEqual([refused]);
    await client.untilMessage("dev:mallory", (m) => m === refused);
    const again = await client.send(`yes ${runId}`, { from: "mallory" });
    const more = await client.send("run release version=v4.0.2", { from: "mallory" });

    expect(again.outbound).toEqual([]);
    expect(more).toMatchObject({ runId: null, outbound: [] });
    expect(await client.messages("dev:mallory")).toEqual([refused]);
    expect(await runs.countDocuments()).toBe(before);
    expect(timeline(await client.run(runId))).toEqual([
      "RunCreated user:alice",
      "ApprovalRequested system",
    ]);
  });

  test("expiry tells the requester and every approver; a yes after it is answered as too late", async ({
    client,
  }) => {
    const runId = await ask(client, "alice", "run hotfix");

    const view = await client.untilStatus(runId, "Expired");

    expect(timeline(view).at(-1)).toBe("RunExpired scheduler");
    const expired = `Run ${runId} for job "hotfix" expired: nobody approved it in time.`;
    for (const conversation of ["dev:alice", "dev:bob", "dev:carol"]) {
      expect(await until(client, conversation, runId, expired)).toContain(expired);
    }
    const at = stateEvents(view).at(-1)?.at.slice(11, 16) ?? "";
    expect(await answer(client, "bob", `yes ${runId}`)).toBe(
      `Run ${runId} already expired at ${at} UTC; nothing to approve.`,
    );
    expect((await client.run(runId)).run.status).toBe("Expired");
  });

  test("escalation: still waiting after escalateAfter, the request also goes to escalateTo, who may approve it", async ({
    client,
  }) => {
    const runId = await ask(client, "alice", "run nightly");
    const request = `Alice asks to run job "nightly", run ${runId}. Reply YES ${runId} to approve or NO ${runId} to deny.`;
    expect(await until(client, "dev:dave", runId, request)).toEqual([request]);

    expect(await until(client, "dev:frank", runId, request)).toEqual([request]);
    const escalated = `Run ${runId} still waits for approval; it now goes to Frank as well.`;
    await until(client, "dev:alice", runId, escalated);
    expect(await answer(client, "frank", `yes ${runId}`)).toBe(
      `Approved. Starting run ${runId} for job "nightly"…`,
    );

    const view = await client.untilStatus(runId, "Succeeded", "Failed");
    expect(view.run.status).toBe("Succeeded");
    // RunSummary.approvers says "escalation included", but the orchestrator
    // records only those first asked there (["dave"]); the event names Frank.
    const escalation = view.events.find((e) => e.type === "ApprovalEscalated");
    expect(escalation?.payload).toEqual({ added: ["frank"] });
    expect(timeline(view).slice(0, 5)).toEqual([
      "RunCreated user:alice",
      "ApprovalRequested system",
      "ApprovalEscalated scheduler",
      "ApprovalGiven user:frank",
      "RunApproved user:frank",
    ]);
  });

  test("a confirm code: read from the approver's own request; missing, wrong and another approver's are refused, their own runs it", async ({
    client,
  }) => {
    const runId = await ask(client, "alice", "run restart");
    const isRequest = (m: string) => m.startsWith("Alice asks") && m.includes(runId);
    const bobsCode = codeIn((await client.untilMessage("dev:bob", isRequest)).find(isRequest));
    const carolsCode = codeIn((await client.untilMessage("dev:carol", isRequest)).find(isRequest));
    expect(bobsCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(carolsCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(carolsCode).not.toBe(bobsCode);
    const wrongCode = ["AAAAAA", "BBBBBB", "CCCCCC"].find(
      (c) => c !== bobsCode && c !== carolsCode,
    );

    expect(await answer(client, "bob", `yes ${runId}`)).toBe(
      `Run ${runId} needs your confirm code: reply YES ${runId} <code>.`,
    );
    const wrong = `That confirm code is not right for run ${runId}.`;
    expect(await answer(client, "bob", `yes ${runId} ${wrongCode}`)).toBe(wrong);
    expect(await answer(client, "bob", `yes ${runId} ${carolsCode}`)).toBe(wrong);
    expect((await client.run(runId)).run.status).toBe("AwaitingApproval");
    expect(await answer(client, "bob", `yes ${runId} ${bobsCode}`)).toBe(
      `Approved. Starting run ${runId} for job "restart"…`,
    );

    const view = await client.untilStatus(runId, "Succeeded", "Failed");
    expect(view.run.status).toBe("Succeeded");
    expect(timeline(view).slice(0, 6)).toEqual([
      "RunCreated user:alice",
      "ApprovalRequested system",
      "ConfirmCodeRefused user:bob",
      "ConfirmCodeRefused user:bob",
      "ApprovalGiven user:bob",
      "RunApproved user:bob",
    ]);
  });

  test("HTTP in closed mode: no token 401, someone who takes no part 404 as for no run, requester, approver and admin 200", async ({
    client,
    system,
  }) => {
    const runId = await ask(client, "alice", "run hotfix");
    const get = async (path: string, token?: string) => {
      const headers = token === undefined ? undefined : { authorization: `Bearer ${token}` };
      const response = await fetch(`${system.baseUrl}${path}`, { headers });
      return { status: response.status, body: await response.text(), response };
    };

    const anonymous = await get(`/runs/${runId}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await get(`/runs/${runId}`, "not-a-token")).status).toBe(401);

    const outsider = await get(`/runs/${runId}`, people.tokenOf("erin"));
    const missing = await get("/runs/ZZZZZZ", people.tokenOf("erin"));
    expect(outsider.status).toBe(404);
    expect(outsider.body).toBe(missing.body);
    expect((await get(`/runs/${runId}/logs`, people.tokenOf("erin"))).status).toBe(404);

    for (const reader of ["alice", "bob", "root"]) {
      const seen = await get(`/runs/${runId}`, people.tokenOf(reader));
      expect([reader, seen.status]).toEqual([reader, 200]);
    }
    expect((await get("/dev/conversations/alice/messages", people.tokenOf("erin"))).status).toBe(
      404,
    );
    expect((await get("/dev/conversations/alice/messages", people.tokenOf("alice"))).status).toBe(
      200,
    );
  });

  test("a bare yes decides the one run waiting for me, and asks which when two wait", async ({
    client,
  }) => {
    expect(await answer(client, "gina", "yes")).toBe("Nothing waits for your decision.");
    const first = await ask(client, "alice", "run smoke");
    expect(await answer(client, "gina", "yes")).toBe(
      `Approved. Starting run ${first} for job "smoke"…`,
    );

    const second = await ask(client, "alice", "run smoke");
    const third = await ask(client, "erin", "run smoke");
    expect(await answer(client, "gina", "pending")).toMatch(
      new RegExp(`^${second} smoke from Alice`),
    );
    expect(await answer(client, "gina", "yes")).toBe(
      `Several runs wait for your decision: ${second}, ${third}. Reply YES <id>.`,
    );
    expect((await client.run(second)).run.status).toBe("AwaitingApproval");
    expect((await client.untilStatus(first, "Succeeded", "Failed")).run.status).toBe("Succeeded");
  });

  test("linking: a code got on a known address links a new one, which then acts as the same person", async ({
    client,
  }) => {
    const issued = await answer(client, "alice", "link");
    const code = /Your link code is (\d{6})/.exec(issued ?? "")?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);

    expect(await answer(client, "alice-tablet", "run release version=v3.0.0")).toBe(
      "This address is not registered with TextOps.",
    );
    expect(await answer(client, "alice-tablet", `link ${code}`)).toBe(
      "Linked dev:alice-tablet to Alice.",
    );
    await client.untilMessage(
      "dev:alice",
      (m) => m === "dev:alice-tablet is now linked to you. If this was not you, tell an admin.",
    );
    expect(await answer(client, "alice-tablet", `link ${code}`)).toBe(
      "That address already belongs to someone.",
    );
    expect(await answer(client, "alice-tablet", "whoami")).toBe(
      "You are Alice (alice), roles dev. Addresses: dev:alice, dev:alice-tablet (linked).",
    );

    const runId = await ask(client, "alice-tablet", "run release version=v3.0.1");
    const view = await client.run(runId);
    expect(view.run.requestedBy).toBe("alice");
    expect(stateEvents(view)[0]).toMatchObject({
      actor: "user:alice",
      payload: { address: "dev:alice-tablet" },
    });
  });
});
