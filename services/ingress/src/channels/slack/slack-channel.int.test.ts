import type { OutboundMessage } from "@textops/contracts";
import { startFakeSlack } from "@textops/channel-fakes";
import { describe, expect } from "@textops/testing";
import { collectReports, outbox, startDelivery } from "../../testing/delivery-harness.js";
import { test } from "../../testing/ingress-harness.js";
import { createSlackClient } from "./slack-client.js";
import { createSlackSender } from "./slack-sender.js";

const TOKEN = "xoxb-0000000000-int-test-token";

/** An approval request to Bob, with its buttons, as the orchestrator sends it. */
const request: OutboundMessage = {
  channelId: "slack",
  conversation: "slack:U0BOB0001",
  body: "Run K7Q2MX of deploy needs your approval.",
  correlationId: "K7Q2MX",
  idempotencyKey: "approval-request:K7Q2MX:bob",
  actions: [
    { label: "Approve", reply: "yes K7Q2MX" },
    { label: "Deny", reply: "no K7Q2MX" },
  ],
};

describe("the Slack channel's delivery consumer, on the broker and the database", () => {
  test("a request with buttons reaches Bob's DM; its decision updates it there, buttons gone", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanup(() => slack.close());
    const client = createSlackClient({ token: TOKEN, apiUrl: slack.apiUrl });
    const sender = createSlackSender(client);
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender });
    const reports = await collectReports(rabbit.url, log, cleanup);
    const publish = outbox(rabbit.url, log, cleanup);

    await publish(request, "out-1");
    const delivered = await reports.nth(1);
    const decision = {
      ...request,
      body: "Run K7Q2MX approved by alice.",
      idempotencyKey: "approval-request:K7Q2MX:bob:approved",
      replaces: request.idempotencyKey,
      actions: undefined,
    };
    await publish(decision, "out-2");
    const edited = await reports.nth(2);

    const [message] = slack.messages("D0BOB0001");
    expect(delivered).toMatchObject({
      outcome: "delivered",
      providerMessageIds: [`D0BOB0001:${message?.ts}`],
    });
    expect(edited).toMatchObject({ outcome: "edited", idempotencyKey: decision.idempotencyKey });
    expect(slack.messages("D0BOB0001")).toEqual([
      {
        channel: "D0BOB0001",
        ts: message?.ts,
        text: "Run K7Q2MX approved by alice.",
        blocks: [
          { type: "section", text: { type: "plain_text", text: "Run K7Q2MX approved by alice." } },
        ],
      },
    ]);
  });

  test("a channel Slack does not know is reported not delivered, with Slack's reason", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanup(() => slack.close());
    slack.failNext(1, { error: "channel_not_found" });
    const sender = createSlackSender(createSlackClient({ token: TOKEN, apiUrl: slack.apiUrl }));
    await startDelivery({ url: rabbit.url, db: mongo.db, log, cleanup, sender });
    const reports = await collectReports(rabbit.url, log, cleanup);

    await outbox(rabbit.url, log, cleanup)(request, "out-1");

    expect(await reports.nth(1)).toMatchObject({
      outcome: "not-delivered",
      reason: "Slack: channel_not_found",
    });
    expect(slack.calls("chat.postMessage")).toHaveLength(1);
  });
});
