import { describe, expect, test } from "vitest";
import { aClosedRun, anOpenRun, aPeopleContext } from "../testing/closed-runs.js";
import { T0 } from "../testing/run-builder.js";
import { createRun } from "./create-run.js";
import { escalate } from "./decide-under-policy.js";

const approveAndDeny = [
  { label: "Approve", reply: "yes K7Q2MX" },
  { label: "Deny", reply: "no K7Q2MX" },
];

describe(createRun.name, () => {
  test("an open request has buttons to approve and to deny", () => {
    const { outbound } = anOpenRun();

    expect(outbound).toEqual([
      {
        channelId: "dev",
        conversation: "dev:user1",
        body: 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.',
        correlationId: "K7Q2MX",
        idempotencyKey: "approval-request:K7Q2MX",
        actions: approveAndDeny,
      },
    ]);
  });

  test("each approver's request has both buttons; the requester's notice has none", () => {
    const { outbound } = aClosedRun();

    expect(outbound.map((n) => [n.idempotencyKey, n.conversation, n.actions])).toEqual([
      ["approval-waits:K7Q2MX", "dev:alice", undefined],
      ["approval-request:K7Q2MX:bob", "dev:bob-phone", approveAndDeny],
      ["approval-request:K7Q2MX:carol", "dev:carol", approveAndDeny],
    ]);
  });

  test("a request that needs a confirm code has an Approve that asks for it, and Deny", () => {
    const { outbound } = aClosedRun({ approvers: { users: ["bob", "carol"] }, confirmCode: true });

    const requests = outbound.filter((n) => n.idempotencyKey.startsWith("approval-request:"));
    expect(requests.map((n) => [n.body, n.actions])).toEqual([
      [
        'Alice Doe asks to run job "demo", run K7Q2MX. Reply YES K7Q2MX BOB234 to approve or NO K7Q2MX to deny.',
        [
          { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
          { label: "Deny", reply: "no K7Q2MX" },
        ],
      ],
      [
        'Alice Doe asks to run job "demo", run K7Q2MX. Reply YES K7Q2MX CAR234 to approve or NO K7Q2MX to deny.',
        [
          { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
          { label: "Deny", reply: "no K7Q2MX" },
        ],
      ],
    ]);
  });

  test.each([
    [{}, approveAndDeny],
    [
      { confirmCode: true },
      [
        { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
        { label: "Deny", reply: "no K7Q2MX" },
      ],
    ],
  ])("the requests escalation sends under %j have the same buttons", (approval, actions) => {
    const { run } = aClosedRun({ ...approval, approvers: { users: ["bob", "carol"] } });
    const due = { ...run, escalation: { at: new Date(T0).toISOString(), to: ["dave"] } };

    const decision = escalate(due, new Date(T0).toISOString(), T0, aPeopleContext());

    const request = decision.outbound.find((n) => n.conversation === "dev:dave");
    expect(request).toMatchObject({ idempotencyKey: "approval-request:K7Q2MX:dave", actions });
  });
});
