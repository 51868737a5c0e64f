import { canEditSentMessages, type OutboundMessage } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { loadConfig } from "../config.js";
import type { InboundGateway } from "../ports.js";
import { aCapturingLogger } from "../testing/ingress-harness.js";
import { DeliveryRefused } from "./channel-sender.js";
import { buildChannels } from "./channels.js";

const gateway: InboundGateway = {
  send: () => Promise.reject(new Error("not used")),
  publish: () => Promise.reject(new Error("not used")),
};
const devMessages = {
  record: () => Promise.reject(new Error("not used")),
  list: () => Promise.resolve([]),
};
const SLACK = {
  SLACK_BOT_TOKEN: "xoxb-0000000000-channels-test-token",
  SLACK_SIGNING_SECRET: "channels-test-signing-secret",
};
const aNotice: OutboundMessage = {
  channelId: "slack",
  conversation: "slack:U0BOB0001",
  body: "Run K7Q2MX succeeded.",
  correlationId: "K7Q2MX",
  idempotencyKey: "run-finished:K7Q2MX",
};

const channelsOf = (config: ReturnType<typeof loadConfig>, db: Db, log: Logger) =>
  buildChannels(config, { db, gateway, devMessages, log, clock: Date.now });

describe(buildChannels.name, () => {
  test("the channels whose senders edit are the ones the orchestrator sends edits to", ({
    mongo,
  }) => {
    const config = loadConfig({
      ...SLACK,
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      PUBLIC_BASE_URL: "https://textops.example.com",
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "channels-test-twilio-token",
      TWILIO_FROM: "+15551230000",
      TELEGRAM_BOT_TOKEN: "4242:channels-test-telegram-token",
      TELEGRAM_WEBHOOK_SECRET: "channels-test-webhook-secret",
    });
    const { log } = aCapturingLogger();

    const channels = channelsOf(config, mongo.db, log);

    expect(channels.map(({ sender }) => [sender.channelId, sender.edit !== undefined])).toEqual(
      channels.map(({ sender }) => [sender.channelId, canEditSentMessages(sender.channelId)]),
    );
    expect(channels.map(({ sender }) => sender.channelId).sort()).toEqual([
      "dev",
      "slack",
      "sms",
      "telegram",
    ]);
  });

  test("Slack set up is on without calling Slack, and says where its request URL is", ({
    mongo,
  }) => {
    const { log, lines } = aCapturingLogger();
    // Nothing listens there: building the channel must not need Slack.
    const config = loadConfig({
      ...SLACK,
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      PUBLIC_BASE_URL: "https://textops.example.com",
    });

    const channels = channelsOf(config, mongo.db, log);

    const slack = channels.find((channel) => channel.sender.channelId === "slack");
    expect(slack?.routes).toBeDefined();
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: "channel slack on: request URL is https://textops.example.com/channels/slack/events (events, the slash command and interactivity)",
      }),
    );
    expect(JSON.stringify(lines())).not.toContain(SLACK.SLACK_BOT_TOKEN);
  });

  test("Slack half set up is off with a warning, and refuses what is queued for it", async ({
    mongo,
  }) => {
    const { log, lines } = aCapturingLogger();
    const config = loadConfig({ SLACK_BOT_TOKEN: SLACK.SLACK_BOT_TOKEN });

    const channels = channelsOf(config, mongo.db, log);

    const slack = channels.find((channel) => channel.sender.channelId === "slack");
    expect(slack?.routes).toBeUndefined();
    await expect(slack?.sender.send(aNotice)).rejects.toEqual(
      new DeliveryRefused("the slack channel is off (SLACK_SIGNING_SECRET unset)"),
    );
    expect(lines()).toContainEqual(
      expect.objectContaining({ level: 40, msg: "channel slack off: SLACK_SIGNING_SECRET unset" }),
    );
  });
});
