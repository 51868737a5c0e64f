import type { OutboxEntry } from "../../domain/stored-run.js";
import { describe, expect, test } from "@textops/testing";
import type { InboxEntry } from "../../app/ports.js";
import { createInboxRepository } from "./inbox.repository.js";

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

const reply: OutboxEntry = {
  messageId: "msg-m3:out0",
  correlationId: "c1",
  causationId: "msg-m3",
  occurredAt: "2026-11-26T12:00:00.000Z",
  type: "OutboundMessage",
  payload: {
    channelId: "dev",
    conversation: "dev:user1",
    body: "help text",
    correlationId: "c1",
    idempotencyKey: "help:dev:m3",
  },
};

const plan = { now: "2026-11-26T12:00:00.000Z", lookAt: "2026-11-26T12:00:05.000Z" };

describe(createInboxRepository.name, () => {
  test("a completion batched with one that finds its entry done is still told it completed", async ({
    mongo,
  }) => {
    const inbox = await createInboxRepository(mongo.db);
    const key = (id: string) => ({ channelId: "dev", providerMessageId: id });
    const notice = (messageId: string): OutboxEntry => ({ ...reply, messageId });
    const ids = Array.from({ length: 6 }, (_, i) => [`late${i}`, `fresh${i}`]);
    await Promise.all(ids.flat().map((id) => inbox.record(entry(id))));
    await Promise.all(
      ids.map(([late = ""]) => inbox.complete(key(late), null, [notice(`${late}:a`)], plan)),
    );

    // Interleaved, so the store's group commit puts both kinds in one batch.
    const results = await Promise.all(
      ids.flatMap(([late = "", fresh = ""]) => [
        inbox.complete(key(late), null, [notice(`${late}:b`)], plan),
        inbox.complete(key(fresh), null, [notice(`${fresh}:a`)], plan),
      ]),
    );

    expect(results.filter((_, i) => i % 2 === 0)).toEqual(ids.map(() => "already-done"));
    expect(results.filter((_, i) => i % 2 === 1)).toEqual(
      ids.map(([, fresh = ""]) => expect.objectContaining({ key: key(fresh) }) as unknown),
    );
    const due = await inbox.due("2026-11-26T13:00:00.000Z", 100);
    for (const watched of due) expect((await inbox.find(watched))?.landed).toBe(true);
  });

  test("the second insert of the same (channelId, providerMessageId) is a typed duplicate", async ({
    mongo,
  }) => {
    const inbox = await createInboxRepository(mongo.db);

    expect(await inbox.record(entry("m1"))).toEqual({ kind: "recorded" });
    const again = await inbox.record({ ...entry("m1"), messageId: "another delivery" });

    expect(again).toEqual({ kind: "duplicate", existing: entry("m1") });
    expect(await mongo.db.collection("inbox").countDocuments()).toBe(1);
    expect(await mongo.db.collection("inbox").findOne({ _id: "dev:m1" as never })).not.toBeNull();
  });

  test("the same provider id on another channel is a different message", async ({ mongo }) => {
    const inbox = await createInboxRepository(mongo.db);

    expect(await inbox.record(entry("m1", "dev"))).toEqual({ kind: "recorded" });
    expect(await inbox.record(entry("m1", "telegram"))).toEqual({ kind: "recorded" });
    expect(await inbox.record(entry("dev:m1", "x"))).toEqual({ kind: "recorded" });
    expect(await inbox.record(entry("x:dev:m1", "y"))).toEqual({ kind: "recorded" });
  });

  test("concurrent inserts of one key record it exactly once", async ({ mongo }) => {
    const inbox = await createInboxRepository(mongo.db);

    const results = await Promise.all(Array.from({ length: 8 }, () => inbox.record(entry("m2"))));

    expect(results.filter((r) => r.kind === "recorded")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "duplicate")).toHaveLength(7);
  });

  test("replies kept in an entry are announced to the sweeper until they are published", async ({
    mongo,
  }) => {
    const inbox = await createInboxRepository(mongo.db);
    const key = { channelId: "dev", providerMessageId: "m3" };
    await inbox.record(entry("m3"));

    const completed = await inbox.complete(key, null, [reply], plan);
    const watched = completed === "already-done" ? null : completed;

    const [due] = await inbox.due(plan.lookAt, 10);
    expect(due).toEqual({ key, intent: 1, announcedAt: plan.now });
    expect(watched).toEqual(due);
    expect(await inbox.find(watched ?? { key, intent: 1, announcedAt: "" })).toEqual({
      entry: { ...entry("m3"), state: "done", outbox: [reply] },
      landed: true,
    });
    await inbox.removeOutbox(key, [reply]);
    if (watched) await inbox.settle(watched, null);
    expect(await inbox.due("9999-12-31T00:00:00.000Z", 10)).toEqual([]);
  });

  test("an entry completed without replies is never announced", async ({ mongo }) => {
    const inbox = await createInboxRepository(mongo.db);
    await inbox.record(entry("m4"));

    expect(
      await inbox.complete({ channelId: "dev", providerMessageId: "m4" }, null, []),
    ).toBeNull();
    expect(await inbox.due("9999-12-31T00:00:00.000Z", 10)).toEqual([]);
  });
});
