import { describe, expect, test } from "vitest";
import { commandInput } from "./command-input.js";

const actor = "user:dev:user1" as const;
const to = { channelId: "dev", conversation: "dev:user1" };

describe(commandInput.name, () => {
  test.for([
    ["ApproveRun", { kind: "approve", actor, replyTo: to, code: null }],
    ["DenyRun", { kind: "deny", actor, replyTo: to }],
    ["CancelRun", { kind: "cancel", actor, replyTo: to }],
    ["StatusQuery", { kind: "status", replyTo: to }],
  ] as const)("%s", ([type, input]) => {
    expect(commandInput({ type, runId: "K7Q2MX" }, actor, to)).toEqual(input);
  });
});
