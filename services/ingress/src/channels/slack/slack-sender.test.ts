import type { OutboundMessage } from "@textops/contracts";
import { startFakeSlack, type FakeSlack } from "@textops/channel-fakes";
import type { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, test as base, vi } from "vitest";
import { APPROVE_AND_DENY, aNoticeTo, rejection } from "../../testing/outbound-fixtures.js";
import { DeliveryDeferred, DeliveryRefused } from "../channel-sender.js";
import { createSlackClient } from "./slack-client.js";
import { createSlackSender } from "./slack-sender.js";

const TOKEN = "xoxb-1234567890-0987654321-TestTokenSecretPart";

const test = base.extend<{ slack: FakeSlack; client: WebClient }>({
  // eslint-disable-next-line no-empty-pattern
  slack: async ({}, use) => {
    const slack = await startFakeSlack({ token: TOKEN });
    await use(slack);
    await slack.close();
  },
  client: async ({ slack }, use) => {
    await use(createSlackClient({ token: TOKEN, apiUrl: slack.apiUrl }));
  },
});

afterEach(() => {
  vi.useRealTimers();
});

const aMessage = (fields: Partial<OutboundMessage> = {}) =>
  aNoticeTo("slack:C0OPS0001", { idempotencyKey: "approval-request:K7Q2MX:bob", ...fields });

/** Everything an error could show: its message, its stack, its own fields. */
const shown = (error: Error) =>
  JSON.stringify({ ...error, message: error.message, stack: error.stack });

describe(createSlackSender.name, () => {
  test("a message with actions goes out as a section and two buttons, recorded as <channel>:<ts>", async ({
    slack,
    client,
  }) => {
    const copy = await createSlackSender(client).send(aMessage({ actions: APPROVE_AND_DENY }));

    const [message] = slack.messages("C0OPS0001");
    expect(copy).toEqual({ providerMessageIds: [`C0OPS0001:${message?.ts}`] });
    expect(message?.blocks).toEqual([
      {
        type: "section",
        text: { type: "plain_text", text: "Run K7Q2MX of deploy needs your approval." },
      },
      {
        type: "actions",
        block_id: "textops_actions",
        elements: [
          {
            type: "button",
            action_id: "textops_reply_0",
            text: { type: "plain_text", text: "Approve" },
            value: "yes K7Q2MX",
            style: "primary",
          },
          {
            type: "button",
            action_id: "textops_reply_1",
            text: { type: "plain_text", text: "Deny" },
            value: "no K7Q2MX",
            style: "danger",
          },
        ],
      },
    ]);
    expect(slack.calls("chat.postMessage")[0]?.params).toMatchObject({ mrkdwn: "false" });
  });

  test("a button that asks for a confirm code carries what to ask and what to reply, as textops_ask_<i>", async ({
    slack,
    client,
  }) => {
    const actions = [
      { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
      { label: "Deny", reply: "no K7Q2MX" },
    ];

    await createSlackSender(client).send(aMessage({ actions }));

    const buttons = (slack.messages("C0OPS0001")[0]?.blocks?.[1] as { elements: unknown[] })
      .elements;
    expect(buttons).toEqual([
      {
        type: "button",
        action_id: "textops_ask_0",
        text: { type: "plain_text", text: "Approve…" },
        value: JSON.stringify({ reply: "yes K7Q2MX", asks: "Confirm code" }),
        style: "primary",
      },
      {
        type: "button",
        action_id: "textops_reply_1",
        text: { type: "plain_text", text: "Deny" },
        value: "no K7Q2MX",
        style: "danger",
      },
    ]);
  });

  test("a message without actions is plain text, Slack's control characters escaped", async ({
    slack,
    client,
  }) => {
    await createSlackSender(client).send(aMessage({ body: "deploy <prod> & more" }));

    expect(slack.messages("C0OPS0001")).toEqual([
      expect.objectContaining({ text: "deploy &lt;prod&gt; &amp; more" }),
    ]);
    expect(slack.calls("chat.postMessage")[0]?.params).not.toHaveProperty("blocks");
  });

  test("a message to a person goes to the app's DM with them, and its copy names the DM", async ({
    slack,
    client,
  }) => {
    const copy = await createSlackSender(client).send(
      aMessage({ conversation: "slack:U0BOB0001" }),
    );

    const [message] = slack.messages("D0BOB0001");
    expect(copy.providerMessageIds).toEqual([`D0BOB0001:${message?.ts}`]);
  });

  test("an edit replaces the text and takes the buttons away", async ({ slack, client }) => {
    const sender = createSlackSender(client);
    const copy = await sender.send(
      aMessage({ conversation: "slack:U0BOB0001", actions: APPROVE_AND_DENY }),
    );

    await sender.edit?.(
      aMessage({
        conversation: "slack:U0BOB0001",
        body: "Run K7Q2MX approved by alice.",
        replaces: "approval-request:K7Q2MX:bob",
      }),
      copy,
    );

    expect(slack.messages("D0BOB0001")).toEqual([
      {
        channel: "D0BOB0001",
        ts: copy.providerMessageIds[0]?.split(":")[1],
        text: "Run K7Q2MX approved by alice.",
        blocks: [
          { type: "section", text: { type: "plain_text", text: "Run K7Q2MX approved by alice." } },
        ],
      },
    ]);
    expect(slack.calls("chat.update")[0]?.params).toMatchObject({ channel: "D0BOB0001" });
  });

  test("an edit of a message Slack does not have is refused", async ({ client }) => {
    const error = await rejection(
      Promise.resolve(
        createSlackSender(client).edit?.(aMessage(), {
          providerMessageIds: ["C0OPS0001:1704110400.000001"],
        }),
      ),
      DeliveryRefused,
    );

    expect(error.reason).toBe("Slack: message_not_found");
  });

  test("a text longer than Slack takes goes as several messages, the buttons under the last", async ({
    slack,
    client,
  }) => {
    const line = "x".repeat(999);
    const body = Array.from({ length: 50 }, () => line).join("\n");

    const copy = await createSlackSender(client).send(
      aMessage({ body, actions: APPROVE_AND_DENY }),
    );

    const messages = slack.messages("C0OPS0001");
    expect(messages.map((m) => m.text.length)).toEqual([35_999, 13_999]);
    expect(messages.map((m) => m.text).join("\n")).toBe(body);
    expect(messages[0]).not.toHaveProperty("blocks");
    expect(messages[1]?.blocks).toHaveLength(2);
    expect(copy.providerMessageIds).toEqual(messages.map((m) => `C0OPS0001:${m.ts}`));
  });

  test("a 429 is deferred for as long as its Retry-After says", async ({ slack, client }) => {
    slack.failNext(1, { status: 429, retryAfterSeconds: 7 });

    const error = await rejection(createSlackSender(client).send(aMessage()), DeliveryDeferred);

    expect(error.retryAfterMs).toBe(7000);
    expect(shown(error)).not.toContain(TOKEN);
  });

  test.for([
    ["a 503", { status: 503 }, "Slack HTTP 503"],
    ["Slack's internal_error", { error: "internal_error" }, "Slack: internal_error"],
  ] as const)("%s is deferred", async ([, failure, message], { slack, client }) => {
    slack.failNext(1, failure);

    const error = await rejection(createSlackSender(client).send(aMessage()), DeliveryDeferred);

    expect(error.message).toBe(message);
    expect(error.retryAfterMs).toBeUndefined();
  });

  test.for(["channel_not_found", "not_in_channel", "invalid_auth", "account_inactive"])(
    "%s is refused with Slack's reason, without the token",
    async (code, { slack, client }) => {
      slack.failNext(1, { error: code });

      const error = await rejection(createSlackSender(client).send(aMessage()), DeliveryRefused);

      expect(error.reason).toBe(`Slack: ${code}`);
      expect(shown(error)).not.toContain(TOKEN);
    },
  );

  test("a wrong token is refused as invalid_auth, and no error shows either token", async ({
    slack,
  }) => {
    const wrong = "xoxb-1234567890-0987654321-WrongTokenSecretPart";
    const client = createSlackClient({ token: wrong, apiUrl: slack.apiUrl });

    const error = await rejection(createSlackSender(client).send(aMessage()), DeliveryRefused);

    expect(error.reason).toBe("Slack: invalid_auth");
    expect(shown(error)).not.toContain(wrong);
  });

  test("Slack out of reach is deferred, and the error does not show the token", async ({
    slack,
  }) => {
    const apiUrl = slack.apiUrl;
    await slack.close();
    const client = createSlackClient({ token: TOKEN, apiUrl });

    const error = await rejection(createSlackSender(client).send(aMessage()), DeliveryDeferred);

    expect(error.message).toMatch(/^Slack unreachable: /);
    expect(shown(error)).not.toContain(TOKEN);
  });

  test("a conversation that is no Slack id is refused before anything is sent", async ({
    slack,
    client,
  }) => {
    const error = await rejection(
      createSlackSender(client).send(aMessage({ conversation: "slack:#general" })),
      DeliveryRefused,
    );

    expect(error.reason).toMatch(/not a Slack channel or user id/);
    expect(slack.calls()).toEqual([]);
  });

  test("sends to one channel are paced at about one a second after a burst; another channel does not wait", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const startedAt = Date.now();
    const calledAt: { channel: unknown; at: number }[] = [];
    const slack = await startFakeSlack({
      token: TOKEN,
      onCall: ({ params }) =>
        calledAt.push({ channel: params.channel, at: Date.now() - startedAt }),
    });
    try {
      const client = createSlackClient({ token: TOKEN, apiUrl: slack.apiUrl });
      const sender = createSlackSender(client, { clock: () => Date.now(), perChannelBurst: 2 });

      const sent = Promise.all([
        ...["one", "two", "three", "four"].map((body) => sender.send(aMessage({ body }))),
        sender.send(aMessage({ conversation: "slack:C0ELSEWHERE", body: "elsewhere" })),
      ]);
      let done = false;
      void sent.finally(() => (done = true));
      // Fake time runs on while the fake answers for real; the buckets decide when each call starts.
      while (!done) await vi.advanceTimersByTimeAsync(50);
      await sent;

      const times = (channel: string) =>
        calledAt.filter((c) => c.channel === channel).map((c) => c.at);
      const [first = 0, second = 0, third = 0, fourth = 0] = times("C0OPS0001");
      expect([first, second].every((at) => at < 1000)).toBe(true);
      expect(third).toBeGreaterThanOrEqual(1000);
      expect(fourth).toBeGreaterThanOrEqual(2000);
      expect(times("C0ELSEWHERE")).toEqual([expect.any(Number)]);
      expect(times("C0ELSEWHERE")[0]).toBeLessThan(1000);
    } finally {
      await slack.close();
    }
  });
});
