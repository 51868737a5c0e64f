import { describe, expect } from "@textops/testing";
import type { OrchestratorReply } from "@textops/contracts";
import { test } from "../testing/fixtures.js";
import { catalogFrom } from "../testing/test-catalog.js";
import { aTeam } from "../testing/test-directory.js";

const catalog = catalogFrom(`
jobs:
  deploy:
    description: Deploy
    executor: { kind: builtin, name: demo }
    approval: { approvers: { roles: [ops] } }
`);

const body = (reply: OrchestratorReply, conversation: string) =>
  reply.outbound.find((n) => n.conversation === conversation)?.body;

describe("the people commands on real servers (closed mode)", () => {
  test("an address linked with a code is kept in MongoDB, acts as its person across a restart, and the code is kept only hashed", async ({
    startOrchestrator,
    client,
    mongo,
  }) => {
    const options = { catalog, directory: aTeam() };
    const first = await startOrchestrator(options);
    const told = body(await client.send("link", { from: "alice" }), "dev:alice") ?? "";
    const code = /Your link code is (\d{6}) /.exec(told)?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);

    const linked = await client.send(`link ${code}`, { from: "alice-phone" });
    expect(body(linked, "dev:alice-phone")).toBe("Linked dev:alice-phone to Alice.");
    expect(body(linked, "dev:alice")).toBe(
      "dev:alice-phone is now linked to you. If this was not you, tell an admin.",
    );
    await first.stop();

    await startOrchestrator(options);
    const whoami = await client.send("whoami", { from: "alice-phone" });
    expect(body(whoami, "dev:alice-phone")).toBe(
      "You are Alice (alice), roles dev. Addresses: dev:alice, dev:alice-phone (linked).",
    );
    const { runId } = await client.send("run deploy", { from: "alice-phone" });
    const pending = await client.send("pending", { from: "carol" });
    expect(body(pending, "dev:carol")).toMatch(
      new RegExp(`^${runId ?? "?"} deploy from Alice, (just now|1 min ago)$`),
    );
    const approved = await client.send("yes", { from: "carol" });
    expect(approved).toMatchObject({ runId, dispatchedExecution: true });
    const runs = await client.send("runs", { from: "alice" });
    expect(body(runs, "dev:alice")).toBe(`${runId ?? "?"} deploy Dispatching`);

    const db = mongo.db;
    expect(
      await db.collection("linked_addresses").findOne({ _id: "dev:alice-phone" as never }),
    ).toMatchObject({
      personId: "alice",
      linkedFrom: "dev:alice",
    });
    const changes = await db.collection("identity_changes").find().toArray();
    expect(changes.map((c) => c.kind as unknown).sort()).toEqual([
      "address-linked",
      "link-code-issued",
    ]);
    const stored = JSON.stringify(await db.collection("link_codes").find().toArray());
    expect(stored).not.toContain(code);
    expect(JSON.stringify(await db.collection("inbox").find().toArray())).not.toContain(
      `is ${code}`,
    );
  });
});
