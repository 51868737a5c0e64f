import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { catalogFrom } from "../testing/test-catalog.js";
import { directoryFrom } from "../testing/test-directory.js";

const catalog = () =>
  catalogFrom(`
jobs:
  deploy:
    description: Deploy
    parameters:
      service: { type: enum, values: [api, web], required: true }
    executor: { kind: builtin, name: demo }
    access: { roles: [dev, ops] }
    approval:
      approvers: { roles: [ops] }
      required: 2
`);

/** Bob's and Carol's requests go where they can be edited: Telegram and Slack. */
const team = () =>
  directoryFrom(`
users:
  alice: { name: Alice, roles: [dev], addresses: ["dev:alice"] }
  bob: { name: Bob, roles: [ops], addresses: ["dev:bob-phone", "telegram:2002"], notify: "telegram:2002" }
  carol: { name: Carol, roles: [ops, admin], addresses: ["dev:carol", "slack:U0CAROL"], notify: "slack:U0CAROL" }
`);

const MINUTE = 60_000;
const REQUEST =
  'Alice asks to run job "deploy" (service=api), run DEP234. Reply YES DEP234 to approve or NO DEP234 to deny. It needs 2 approvals.';
const buttons = [
  { label: "Approve", reply: "yes DEP234" },
  { label: "Deny", reply: "no DEP234" },
];

describe("every copy of an approval request follows its run", () => {
  test("a copy on the dev channel, which cannot edit a sent message, gets no edit", async () => {
    const h = anApp({ runIds: ["DEV234"] });
    await h.text("run demo");

    await h.text("yes DEV234");

    expect(h.notices().map((n) => n.idempotencyKey)).toEqual([
      "approval-request:DEV234",
      "approved-starting:DEV234",
    ]);
    expect(h.edits()).toEqual([]);
  });

  test("closed mode, two of two: progress edits to each approver's copy, buttons kept, then the approval, buttons gone", async () => {
    const h = anApp({ runIds: ["DEP234"], catalog: catalog(), directory: team() });
    await h.text("run deploy service=api", { from: "alice" });
    h.clock.now += 2 * MINUTE;

    // Bob answers from the phone his request went to: his answer shows none of the edits.
    await h.text("yes DEP234", { from: "bob-phone" });
    expect(h.lastAnswer().outbound).toEqual([
      expect.objectContaining({
        conversation: "dev:bob-phone",
        body: "Approved by Bob (1 of 2). Run DEP234 needs 1 more.",
      }),
    ]);
    await h.text("yes DEP234", { from: "carol" });

    expect(h.edits()).toEqual([
      {
        channelId: "telegram",
        conversation: "telegram:2002",
        body: `${REQUEST}\nApproved by Bob (1 of 2).`,
        correlationId: "DEP234",
        idempotencyKey: "approval-request:DEP234:bob:progress:1",
        replaces: "approval-request:DEP234:bob",
        actions: buttons,
      },
      {
        channelId: "slack",
        conversation: "slack:U0CAROL",
        body: `${REQUEST}\nApproved by Bob (1 of 2).`,
        correlationId: "DEP234",
        idempotencyKey: "approval-request:DEP234:carol:progress:1",
        replaces: "approval-request:DEP234:carol",
        actions: buttons,
      },
      {
        channelId: "telegram",
        conversation: "telegram:2002",
        body: `${REQUEST}\nApproved by Bob and Carol at 12:02 UTC.`,
        correlationId: "DEP234",
        idempotencyKey: "approval-request:DEP234:bob:approved",
        replaces: "approval-request:DEP234:bob",
      },
      {
        channelId: "slack",
        conversation: "slack:U0CAROL",
        body: `${REQUEST}\nApproved by Bob and Carol at 12:02 UTC.`,
        correlationId: "DEP234",
        idempotencyKey: "approval-request:DEP234:carol:approved",
        replaces: "approval-request:DEP234:carol",
      },
    ]);
    // The requests themselves went out with the same buttons.
    const requests = h.notices().filter((n) => n.idempotencyKey.startsWith("approval-request:"));
    expect(requests.slice(0, 2).map((n) => [n.idempotencyKey, n.actions])).toEqual([
      ["approval-request:DEP234:bob", buttons],
      ["approval-request:DEP234:carol", buttons],
    ]);
    expect(
      h
        .answers()
        .flatMap((a) => a.outbound)
        .filter((n) => n.replaces !== undefined),
    ).toEqual([]);
  });

  test("open mode: the denial edits the request in the requester's conversation; the answer is as before", async () => {
    const h = anApp({ runIds: ["WEB234"] });
    await h.text("run demo", { channelId: "telegram", from: "4242" });

    await h.text("no WEB234", { channelId: "telegram", from: "4242" });

    expect(h.lastAnswer().outbound.map((n) => n.body)).toEqual([
      'Denied. Run WEB234 for job "demo" will not run.',
    ]);
    expect(h.edits()).toEqual([
      {
        channelId: "telegram",
        conversation: "telegram:4242",
        body: 'Job "demo" is ready. Reply YES WEB234 to approve or NO WEB234 to deny.\nDenied by telegram:4242 at 12:00 UTC.',
        correlationId: "WEB234",
        idempotencyKey: "approval-request:WEB234:denied",
        replaces: "approval-request:WEB234",
      },
    ]);
  });

  test("the channel's report of an edit is noted on the run, once", async () => {
    const h = anApp({ runIds: ["WEB234"] });
    await h.text("run demo", { channelId: "telegram", from: "4242" });
    await h.text("yes WEB234", { channelId: "telegram", from: "4242" });
    const [edit] = h.edits();
    if (edit === undefined) throw new Error("no edit published");
    const report = {
      channelId: edit.channelId,
      conversation: edit.conversation,
      idempotencyKey: edit.idempotencyKey,
      correlationId: edit.correlationId,
      outcome: "edited" as const,
      at: new Date(h.clock.now).toISOString(),
    };

    await h.deliver("DeliveryReport", report);
    await h.deliver("DeliveryReport", report);

    const events = h.runs.stored.get("WEB234")?.events ?? [];
    expect(events.filter((e) => e.type === "NoticeEdited").map((e) => e.payload)).toEqual([
      {
        channelId: "telegram",
        conversation: "telegram:4242",
        idempotencyKey: "approval-request:WEB234:approved",
      },
    ]);
  });
});
