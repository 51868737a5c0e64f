import type { InboundMessage } from "@textops/contracts";
import {
  slackRequests,
  startFakeSlack,
  type FakeSlack,
  type SlackRequest,
} from "@textops/channel-fakes";
import request from "supertest";
import { describe, expect, test as base } from "vitest";
import { createApp } from "../../app.js";
import { BrokerUnavailable, type InboundGateway } from "../../ports.js";
import { aCapturingLogger } from "../../testing/ingress-harness.js";
import { createSlackApp } from "./slack-app.js";
import { createSlackClient } from "./slack-client.js";

const TOKEN = "xoxb-1234567890-0987654321-TestTokenSecretPart";
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
// Bolt checks timestamps against the real time: the test's clock stands still at its start.
const NOW = Date.now();
const AT = new Date(NOW).toISOString();
const ALICE = "U0ALICE01";
const BOB = "U0BOB0001";
const OPS = "C0OPS0001";

const test = base.extend<{ slack: FakeSlack }>({
  // eslint-disable-next-line no-empty-pattern
  slack: async ({}, use) => {
    const slack = await startFakeSlack({ token: TOKEN });
    await use(slack);
    await slack.close();
  },
});

/** A gateway that records what it is handed; `down` makes it throw as an unreachable broker does. */
function aGateway(down = false) {
  const published: InboundMessage[] = [];
  const gateway: InboundGateway = {
    publish: (message) => {
      if (down) return Promise.reject(new BrokerUnavailable("broker down"));
      published.push(message);
      return Promise.resolve();
    },
    send: () => Promise.reject(new Error("Slack's requests are only published")),
  };
  return { gateway, published };
}

/** Ingress's HTTP app with the Slack channel's routes, as buildChannels mounts them. */
function appWith(slack: FakeSlack, gateway: InboundGateway) {
  const { log, lines } = aCapturingLogger("debug");
  const client = createSlackClient({ token: TOKEN, apiUrl: slack.apiUrl });
  const routes = createSlackApp({
    token: TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    client,
    gateway,
    clock: () => NOW,
    log,
  }).routes;
  const app = createApp({
    runs: { find: () => Promise.resolve(null) },
    devMessages: { list: () => Promise.resolve([]) },
    inbound: gateway,
    ready: () => Promise.resolve({ broker: true, mongo: true }),
    people: { mode: "open" },
    channelRoutes: [routes],
    log,
  });
  const post = (slackRequest: SlackRequest) =>
    request(app).post(slackRequest.path).set(slackRequest.headers).send(slackRequest.body);
  return { post, lines };
}

/** What the modal of an Approve that asks for a code in #ops carries. */
const privateMetadata = JSON.stringify({ reply: "yes K7Q2MX", asks: "Confirm code", channel: OPS });

const requests = slackRequests({
  signingSecret: SIGNING_SECRET,
  botUserId: "U0TEXTOPS",
  clock: () => NOW,
});

describe(createSlackApp.name, () => {
  test("Slack's URL verification is answered with its challenge", async ({ slack }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    const response = await post(requests.urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3g"));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3g" });
    expect(published).toEqual([]);
  });

  test("a direct message is handed on once, as the person's message in their DM", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    const response = await post(
      requests.directMessage({
        user: ALICE,
        text: "run deploy env=staging",
        ts: "1704110400.000100",
      }),
    );

    expect(response.status).toBe(200);
    expect(published).toEqual([
      {
        channelId: "slack",
        providerMessageId: "msg:D0ALICE01:1704110400.000100",
        from: ALICE,
        conversation: "D0ALICE01",
        body: "run deploy env=staging",
        receivedAt: AT,
      },
    ]);
  });

  test("Slack's retry of an event is a 200 and carries the same message id", async ({ slack }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);
    const message = { user: ALICE, text: "status K7Q2MX", ts: "1704110400.000200" };

    await post(requests.directMessage(message, { eventId: "Ev0RETRY01" }));
    const retry = await post(
      requests.directMessage(message, { eventId: "Ev0RETRY01", retryNum: 1 }),
    );

    expect(retry.status).toBe(200);
    expect(published.map((m) => m.providerMessageId)).toEqual([
      "msg:D0ALICE01:1704110400.000200",
      "msg:D0ALICE01:1704110400.000200",
    ]);
  });

  test("a mention in a channel is handed on without the mention; auth.test is asked once", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    await post(requests.mention({ user: ALICE, channel: OPS, text: "run deploy" }));
    await post(requests.mention({ user: BOB, channel: OPS, text: "status K7Q2MX" }));

    expect(published.map((m) => [m.from, m.conversation, m.body])).toEqual([
      [ALICE, OPS, "run deploy"],
      [BOB, OPS, "status K7Q2MX"],
    ]);
    expect(slack.calls("auth.test")).toHaveLength(1);
  });

  test("Slack out of reach does not stop a mention from being handed on", async ({ slack }) => {
    const { gateway, published } = aGateway();
    const { post, lines } = appWith(slack, gateway);
    await slack.close();

    const response = await post(requests.mention({ user: ALICE, channel: OPS, text: "help" }));

    expect(response.status).toBe(200);
    expect(published.map((m) => m.body)).toEqual(["help"]);
    expect(JSON.stringify(lines())).not.toContain(TOKEN);
  });

  test("a bad signature is a 401; nothing is handed on and the log does not show it", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post, lines } = appWith(slack, gateway);
    const forged = `v0=${"0".repeat(64)}`;

    const response = await post(
      requests.directMessage({ user: ALICE, text: "run deploy" }, { signature: forged }),
    );

    expect(response.status).toBe(401);
    expect(published).toEqual([]);
    expect(lines()).toContainEqual(expect.objectContaining({ level: 40 }));
    expect(JSON.stringify(lines())).not.toContain(forged);
    expect(JSON.stringify(lines())).not.toContain(SIGNING_SECRET);
  });

  test.for([
    ["6 minutes old", -360],
    ["6 minutes ahead", 360],
  ] as const)("a timestamp %s is a 401 and nothing is handed on", async ([, skew], { slack }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);
    const timestamp = Math.floor(NOW / 1000) + skew;

    const response = await post(
      requests.directMessage({ user: ALICE, text: "run deploy" }, { timestamp }),
    );

    expect(response.status).toBe(401);
    expect(published).toEqual([]);
  });

  test("the slash command is handed on and answered within the request, with an empty body", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    const response = await post(
      requests.command({ user: ALICE, channel: OPS, text: "run deploy", triggerId: "1337.42.abc" }),
    );

    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    expect(published).toEqual([
      {
        channelId: "slack",
        providerMessageId: "command:1337.42.abc",
        from: ALICE,
        conversation: OPS,
        body: "run deploy",
        receivedAt: AT,
      },
    ]);
  });

  test("a button press is handed on as the button's value, from the person who pressed it", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    const response = await post(
      requests.press({
        user: BOB,
        channel: OPS,
        messageTs: "1704110400.000300",
        value: "yes K7Q2MX",
      }),
    );

    expect(response.status).toBe(200);
    expect(published).toEqual([
      {
        channelId: "slack",
        providerMessageId: `press:${OPS}:1704110400.000300:${BOB}:yes K7Q2MX`,
        from: BOB,
        conversation: OPS,
        body: "yes K7Q2MX",
        receivedAt: AT,
      },
    ]);
  });

  test("a press of a button that asks opens a modal for the value and hands nothing on", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);
    const value = JSON.stringify({ reply: "yes K7Q2MX", asks: "Confirm code" });

    const response = await post(
      requests.press({
        user: BOB,
        channel: OPS,
        messageTs: "1704110400.000400",
        value,
        actionId: "textops_ask_0",
      }),
    );

    expect(response.status).toBe(200);
    expect(published).toEqual([]);
    const [opened] = slack.calls("views.open");
    expect(opened?.params.trigger_id).toEqual(expect.any(String));
    expect(opened?.params.view).toMatchObject({
      type: "modal",
      callback_id: "textops_ask",
      private_metadata: privateMetadata,
      blocks: [{ type: "input", block_id: "textops_value", label: { text: "Confirm code" } }],
    });
  });

  test("the modal's submission is handed on as the reply and the value, from who submitted it; a replay keeps its id", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);
    const submission = requests.viewSubmission({
      user: BOB,
      privateMetadata,
      value: " 4821 ",
      viewId: "V0ASK0001",
    });

    expect((await post(submission)).status).toBe(200);
    expect((await post(submission)).status).toBe(200);

    const expected = {
      channelId: "slack",
      providerMessageId: "view:V0ASK0001",
      from: BOB,
      conversation: OPS,
      body: "yes K7Q2MX 4821",
      receivedAt: AT,
    };
    expect(published).toEqual([expected, expected]);
  });

  test("an empty value is answered with an error on the input and hands nothing on", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    const response = await post(
      requests.viewSubmission({ user: BOB, privateMetadata, value: "  " }),
    );

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      response_action: "errors",
      errors: { textops_value: "Type the confirm code, without spaces." },
    });
    expect(published).toEqual([]);
  });

  test.for([
    [
      "a bot's message",
      requests.event({
        type: "message",
        channel: "D0ALICE01",
        channel_type: "im",
        bot_id: "B0X",
        text: "hi",
        ts: "1.1",
      }),
    ],
    [
      "an edit",
      requests.event({
        type: "message",
        subtype: "message_changed",
        channel: "D0ALICE01",
        channel_type: "im",
        ts: "1.2",
      }),
    ],
    [
      "another app's button",
      requests.press({ user: BOB, channel: OPS, messageTs: "1.3", value: "x", actionId: "other" }),
    ],
  ] as const)("%s is a 200 and nothing is handed on", async ([, slackRequest], { slack }) => {
    const { gateway, published } = aGateway();
    const { post } = appWith(slack, gateway);

    const response = await post(slackRequest);

    expect(response.status).toBe(200);
    expect(published).toEqual([]);
  });

  test("a text TextOps does not take (too long) is a 200 with a warning, so Slack does not retry it", async ({
    slack,
  }) => {
    const { gateway, published } = aGateway();
    const { post, lines } = appWith(slack, gateway);

    const response = await post(requests.directMessage({ user: ALICE, text: "x".repeat(4001) }));

    expect(response.status).toBe(200);
    expect(published).toEqual([]);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: "slack request not taken: not a valid inbound message",
      }),
    );
  });

  test("a broker that does not take the message is a 503, so Slack retries", async ({ slack }) => {
    const { gateway } = aGateway(true);
    const { post } = appWith(slack, gateway);

    const answers = [
      await post(requests.directMessage({ user: ALICE, text: "run deploy" })),
      await post(requests.command({ user: ALICE, channel: OPS, text: "run deploy" })),
      await post(
        requests.press({ user: BOB, channel: OPS, messageTs: "1.4", value: "yes K7Q2MX" }),
      ),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503]);
    expect(answers[0]?.headers["retry-after"]).toBe("5");
  });
});
