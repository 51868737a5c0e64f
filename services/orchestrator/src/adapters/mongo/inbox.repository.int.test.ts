import { describe, expect, test } from "@textops/testing";
import { createInboxRepository, type InboxEntry } from "./inbox.repository.js";

const entry = (providerMessageId: string, channelId = "dev"): InboxEntry => ({
  channelId,
  providerMessageId,
  messageId: `msg-${providerMessageId}`,
  receivedAt: "2026-11-26T12:00:00.000Z",
  state: "processing",
  runId: null,
  reply: null,
  outbox: [],
});

describe(createInboxRepository.name, () => {
  test("the second insert of the same (channelId, providerMessageId) is a typed duplicate", async ({
    mongo,
  }) => {
    const inbox = await createInboxRepository(mongo.db);

    expect(await inbox.record(entry("m1"))).toEqual({ kind: "recorded" });
    const again = await inbox.record({ ...entry("m1"), messageId: "another delivery" });

    expect(again).toEqual({ kind: "duplicate", existing: entry("m1") });
    expect(await mongo.db.collection("inbox").countDocuments()).toBe(1);
  });

  test("the same provider id on another channel is a different message", async ({ mongo }) => {
    const inbox = await createInboxRepository(mongo.db);

    expect(await inbox.record(entry("m1", "dev"))).toEqual({ kind: "recorded" });
    expect(await inbox.record(entry("m1", "telegram"))).toEqual({ kind: "recorded" });
  });

  test("concurrent inserts of one key record it exactly once", async ({ mongo }) => {
    const inbox = await createInboxRepository(mongo.db);

    const results = await Promise.all(Array.from({ length: 8 }, () => inbox.record(entry("m2"))));

    expect(results.filter((r) => r.kind === "recorded")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "duplicate")).toHaveLength(7);
  });
});
