import { ENVELOPE_HEADERS, QUEUES, type OutboundMessage } from "@textops/contracts";
import { describe, expect, vi, withQueueReader } from "@textops/testing";
import {
  DeliveryDeferred,
  DeliveryRefused,
  type ChannelSender,
  type SentCopy,
} from "../../channels/channel-sender.js";
import { collectReports, outbox, startDelivery } from "../../testing/delivery-harness.js";
import { test } from "../../testing/ingress-harness.js";
import { createDeliveryRecordStore } from "../mongo/delivery-records.store.js";

const request: OutboundMessage = {
  channelId: "sms",
  conversation: "sms:+15551230001",
  body: "Reply YES K7Q2MX to approve or NO K7Q2MX to deny.",
  correlationId: "K7Q2MX",
  idempotencyKey: "approval-request:K7Q2MX:bob",
};

type Step = "ok" | DeliveryRefused | DeliveryDeferred;

/**
 * A channel whose provider answers each call with the next scripted step;
 * it records every send and edit it was asked for.
 */
function scriptedChannel(steps: Step[], options: { canEdit: boolean }) {
  const calls: { kind: "send" | "edit"; message: OutboundMessage; copy?: SentCopy }[] = [];
  let sent = 0;
  const next = () => {
    const step = steps.shift() ?? "ok";
    if (step !== "ok") throw step;
  };
  const sender: ChannelSender = {
    channelId: "sms",
    send(message) {
      calls.push({ kind: "send", message });
      next();
      sent += 1;
      return Promise.resolve({ providerMessageIds: [`SM${sent}`] });
    },
    ...(options.canEdit
      ? {
          edit(message: OutboundMessage, copy: SentCopy) {
            calls.push({ kind: "edit", message, copy });
            next();
            return Promise.resolve();
          },
        }
      : {}),
  };
  return { sender, calls };
}

const quick = { maxAttempts: 4, delayMs: () => 20 };

describe("what a channel's delivery consumer does with each answer of the provider", () => {
  test("a permanent refusal is dead-lettered with its reason, reported, and never tried again", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const channel = scriptedChannel([new DeliveryRefused("opted out", "opted-out")], {
      canEdit: false,
    });
    await startDelivery({
      url: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      sender: channel.sender,
      retry: quick,
    });
    const reports = await collectReports(rabbit.url, log, cleanup);
    const publish = outbox(rabbit.url, log, cleanup);

    await publish(request, "out-1");
    await withQueueReader(rabbit.url, async (take) => {
      const dead = await take(QUEUES.deadLetter(QUEUES.outbound("sms")));
      expect(dead.properties.headers?.[ENVELOPE_HEADERS.deadLetterReason]).toBe("opted out");
    });
    expect(await reports.nth(1)).toMatchObject({
      idempotencyKey: request.idempotencyKey,
      outcome: "not-delivered",
      reason: "opted out",
    });
    // The outbox publishes it again: answered from the record, the provider is not called.
    await publish(request, "out-2");
    expect(await reports.nth(2)).toMatchObject({ outcome: "not-delivered", reason: "opted out" });
    expect(channel.calls).toHaveLength(1);
  });

  test("a 429 is tried again after the time the provider asked for, then delivered once", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const channel = scriptedChannel([new DeliveryDeferred("Twilio 429: Too Many Requests", 300)], {
      canEdit: false,
    });
    await startDelivery({
      url: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      sender: channel.sender,
      retry: quick,
    });
    const reports = await collectReports(rabbit.url, log, cleanup);

    const sentAt = Date.now();
    await outbox(rabbit.url, log, cleanup)(request, "out-1");
    const report = await reports.nth(1);

    expect(report).toMatchObject({ outcome: "delivered", providerMessageIds: ["SM1"] });
    expect(channel.calls).toHaveLength(2);
    // The retry waited for Retry-After (300 ms), not for the 20 ms of the schedule.
    expect(Date.parse(report.at) - sentAt).toBeGreaterThanOrEqual(300);
    const record = await createDeliveryRecordStore(mongo.db).find(request.idempotencyKey);
    expect(record).toMatchObject({ state: "delivered", providerMessageIds: ["SM1"] });
  });

  test("a message that replaces one delivered before edits that copy and is reported as edited", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const channel = scriptedChannel([], { canEdit: true });
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender: channel.sender });
    const reports = await collectReports(rabbit.url, log, cleanup);
    const publish = outbox(rabbit.url, log, cleanup);
    const decided: OutboundMessage = {
      ...request,
      body: `${request.body}\nApproved by Bob Stone at 14:02 UTC.`,
      idempotencyKey: `${request.idempotencyKey}:approved`,
      replaces: request.idempotencyKey,
    };

    await publish(request, "out-1");
    expect(await reports.nth(1)).toMatchObject({ outcome: "delivered" });
    await publish(decided, "out-2");
    expect(await reports.nth(2)).toMatchObject({
      idempotencyKey: decided.idempotencyKey,
      outcome: "edited",
    });
    expect(channel.calls.map((c) => [c.kind, c.copy?.providerMessageIds])).toEqual([
      ["send", undefined],
      ["edit", ["SM1"]],
    ]);
  });

  test("on a channel that cannot edit, a replacing message sends nothing and reports nothing", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const channel = scriptedChannel([], { canEdit: false });
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender: channel.sender });
    const reports = await collectReports(rabbit.url, log, cleanup);
    const publish = outbox(rabbit.url, log, cleanup);

    await publish({ ...request, idempotencyKey: "k:approved", replaces: "k" }, "out-1");
    await publish({ ...request, idempotencyKey: "after" }, "out-2");
    expect(await reports.nth(1)).toMatchObject({ idempotencyKey: "after", outcome: "delivered" });
    await vi.waitFor(async () =>
      expect(await createDeliveryRecordStore(mongo.db).find("k:approved")).toMatchObject({
        state: "skipped",
        reason: "sms cannot edit a sent message",
      }),
    );
    expect(reports.all()).toHaveLength(1);
    expect(channel.calls.map((c) => c.message.idempotencyKey)).toEqual(["after"]);
  });

  test("a claim left by a delivery that died during the call is not sent again: reported as unknown", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const records = createDeliveryRecordStore(mongo.db);
    const longAgo = new Date(Date.now() - 120_000).toISOString();
    await records.claim(
      {
        idempotencyKey: request.idempotencyKey,
        channelId: "sms",
        conversation: request.conversation,
        correlationId: "K7Q2MX",
      },
      longAgo,
    );
    const channel = scriptedChannel([], { canEdit: false });
    await startDelivery({
      url: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      sender: channel.sender,
      staleClaimMs: 60_000,
    });
    const reports = await collectReports(rabbit.url, log, cleanup);

    await outbox(rabbit.url, log, cleanup)(request, "out-1");
    const report = await reports.nth(1);

    expect(report).toMatchObject({
      outcome: "not-delivered",
      reason: "delivery was interrupted during the provider call; not sent again",
    });
    expect(channel.calls).toHaveLength(0);
  });
});
