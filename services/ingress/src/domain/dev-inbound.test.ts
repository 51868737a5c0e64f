import { MAX_BODY_LENGTH } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { DevInboundRequest, devConversationId, issuesOf, toInboundMessage } from "./dev-inbound.js";

const withoutId = { from: "user1", conversation: "user1", body: "run demo" };
const valid = { ...withoutId, providerMessageId: "m1" };

function issuePaths(input: unknown): string[] {
  const parsed = DevInboundRequest.safeParse(input);
  return parsed.success ? [] : issuesOf(parsed.error).map((i) => i.path);
}

describe("DevInboundRequest", () => {
  test("accepts the seed's request, with or without a providerMessageId", () => {
    expect(DevInboundRequest.parse(valid)).toEqual(valid);
    expect(DevInboundRequest.parse(withoutId)).toEqual(withoutId);
    expect(DevInboundRequest.parse({ ...valid, providerMessageId: null })).toMatchObject(withoutId);
  });

  test("accepts a body of exactly the maximum length", () => {
    expect(issuePaths({ ...valid, body: "x".repeat(MAX_BODY_LENGTH) })).toEqual([]);
  });

  test.each([
    ["an empty from", { ...valid, from: "" }, ["from"]],
    ["a missing conversation", { from: "user1", body: "hi" }, ["conversation"]],
    ["an empty body", { ...valid, body: "" }, ["body"]],
    ["a body too long", { ...valid, body: "x".repeat(MAX_BODY_LENGTH + 1) }, ["body"]],
    ["a from too long", { ...valid, from: "u".repeat(201) }, ["from"]],
    ["a conversation too long", { ...valid, conversation: "c".repeat(201) }, ["conversation"]],
    ["a number for a body", { ...valid, body: 42 }, ["body"]],
    ["an empty providerMessageId", { ...valid, providerMessageId: "" }, ["providerMessageId"]],
    ["an unknown field", { ...valid, providerMessageID: "m1" }, [""]],
    ["an array", [valid], [""]],
  ])("rejects %s", (_case, input, paths) => {
    expect(issuePaths(input)).toEqual(paths);
  });

  test("names an unknown field in its issue", () => {
    const parsed = DevInboundRequest.safeParse({ ...valid, priority: "high" });

    expect(parsed.success).toBe(false);
    expect(parsed.error && issuesOf(parsed.error)[0]?.message).toContain("priority");
  });
});

describe(toInboundMessage.name, () => {
  const made = { providerMessageId: "generated", receivedAt: "2024-01-01T12:00:00.000Z" };

  test("keeps from and conversation as given, on the dev channel", () => {
    expect(toInboundMessage(valid, made)).toEqual({
      channelId: "dev",
      providerMessageId: "m1",
      from: "user1",
      conversation: "user1",
      body: "run demo",
      receivedAt: "2024-01-01T12:00:00.000Z",
    });
  });

  test("uses the made id when the request has none", () => {
    expect(toInboundMessage(withoutId, made).providerMessageId).toBe("generated");
  });
});

describe(devConversationId.name, () => {
  test.each([
    ["dev:user1", "dev:user1"],
    ["user1", "dev:user1"],
    ["team:ops", "dev:team:ops"],
  ])("%s names the conversation %s", (given, expected) => {
    expect(devConversationId(given)).toBe(expected);
  });
});
