import type { OrchestratorReply } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { PRESS_RECEIVED, pressAnswerOf } from "./telegram-inbound.js";

function aReply(...notices: [conversation: string, body: string][]): OrchestratorReply {
  return {
    inboundMessageId: "in-1",
    intentType: "Approve",
    jobKey: "deploy",
    runId: "K7Q2MX",
    dispatchedExecution: false,
    duplicate: false,
    outbound: notices.map(([conversation, body], i) => ({
      channelId: conversation.split(":", 1)[0] ?? "",
      conversation,
      body,
      correlationId: "K7Q2MX",
      idempotencyKey: `notice-${i}`,
    })),
  };
}

describe(pressAnswerOf.name, () => {
  test("the first line of the notice to the pressed message's chat", () => {
    const reply = aReply(
      ["sms:+15551230001", "Run K7Q2MX was approved."],
      ["telegram:-100123", "Approved (1 of 2).\nOne more approval needed."],
    );

    expect(pressAnswerOf(reply, "-100123")).toBe("Approved (1 of 2).");
  });

  test("a long line is cut to Telegram's 200 characters", () => {
    const answer = pressAnswerOf(aReply(["telegram:42", "y".repeat(300)]), "42");

    expect(answer).toHaveLength(200);
    expect(answer?.endsWith("…")).toBe(true);
  });

  test("no notice to that chat: nothing to show", () => {
    expect(pressAnswerOf(aReply(["telegram:7", "elsewhere"]), "42")).toBeUndefined();
  });

  test("no answer in time: the fallback", () => {
    expect(pressAnswerOf("timeout", "42")).toBe(PRESS_RECEIVED);
  });
});
