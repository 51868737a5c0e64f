import { describe, expect, test } from "vitest";
import {
  commandMessageOf,
  eventMessageOf,
  pressMessageOf,
  unescaped,
  withoutMention,
} from "./slack-inbound.js";

const AT = "2024-01-01T12:00:00.000Z";
const BOT = "U0BOT0001";

const aDirectMessage = (fields: Record<string, unknown> = {}) => ({
  type: "message",
  channel: "D0ALICE01",
  channel_type: "im",
  user: "U0ALICE01",
  text: "run deploy env=staging",
  ts: "1704110400.000100",
  ...fields,
});

const aMention = (fields: Record<string, unknown> = {}) => ({
  type: "app_mention",
  channel: "C0OPS0001",
  user: "U0ALICE01",
  text: `<@${BOT}> status K7Q2MX`,
  ts: "1704110400.000200",
  ...fields,
});

describe(eventMessageOf.name, () => {
  test("a direct message is the person's text in the DM", () => {
    expect(eventMessageOf(aDirectMessage(), AT)).toEqual({
      channelId: "slack",
      providerMessageId: "msg:D0ALICE01:1704110400.000100",
      from: "U0ALICE01",
      conversation: "D0ALICE01",
      body: "run deploy env=staging",
      receivedAt: AT,
    });
  });

  test("a mention in a channel loses the bot's mention", () => {
    expect(eventMessageOf(aMention(), AT, BOT)).toMatchObject({
      providerMessageId: "msg:C0OPS0001:1704110400.000200",
      from: "U0ALICE01",
      conversation: "C0OPS0001",
      body: "status K7Q2MX",
    });
  });

  test("Slack's escapes are undone", () => {
    const event = aDirectMessage({ text: "run deploy note=a&amp;b&lt;c&gt; x=&amp;lt;" });

    expect(eventMessageOf(event, AT)?.body).toBe("run deploy note=a&b<c> x=&lt;");
  });

  test.for([
    ["a bot's message", aDirectMessage({ bot_id: "B0BOT0001" })],
    ["an edit", aDirectMessage({ subtype: "message_changed" })],
    [
      "a message in a channel without a mention",
      aDirectMessage({ channel: "C0OPS0001", channel_type: "channel" }),
    ],
    ["a mention inside a DM", aMention({ channel: "D0ALICE01" })],
    ["no user", aDirectMessage({ user: undefined })],
    ["not a message at all", { type: "reaction_added", user: "U0ALICE01" }],
  ] as const)("%s is not for TextOps", ([, event]) => {
    expect(eventMessageOf(event, AT)).toBeNull();
  });
});

describe(withoutMention.name, () => {
  test.each([
    [`<@${BOT}> help`, BOT, "help"],
    [`  <@${BOT}|textops>   help`, BOT, "help"],
    ["<@U0ALICE01> help", BOT, "<@U0ALICE01> help"],
    ["<@U0ALICE01> help", undefined, "help"],
    [`help <@${BOT}>`, BOT, `help <@${BOT}>`],
  ])("%j with bot %s reads %j", (text, bot, expected) => {
    expect(withoutMention(text, bot)).toBe(expected);
  });
});

describe(unescaped.name, () => {
  test("only Slack's three escapes", () => {
    expect(unescaped("&lt;&gt;&amp;&quot;")).toBe("<>&&quot;");
  });
});

describe(commandMessageOf.name, () => {
  const command = {
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    user_id: "U0ALICE01",
    channel_id: "C0OPS0001",
    text: " run deploy ",
  };

  test("the command's text, by its trigger", () => {
    expect(commandMessageOf(command, AT)).toEqual({
      channelId: "slack",
      providerMessageId: "command:13345224609.738474920.8088930838d88f008e0",
      from: "U0ALICE01",
      conversation: "C0OPS0001",
      body: "run deploy",
      receivedAt: AT,
    });
  });

  test("a bare command asks for help", () => {
    expect(commandMessageOf({ ...command, text: "" }, AT).body).toBe("help");
  });
});

describe(pressMessageOf.name, () => {
  const aPress = (fields: Record<string, unknown> = {}) => ({
    type: "block_actions",
    user: { id: "U0BOB0001" },
    channel: { id: "C0OPS0001" },
    message: { ts: "1704110400.000300" },
    actions: [{ action_id: "textops_reply_0", value: "yes K7Q2MX" }],
    ...fields,
  });

  test("the button's reply, from the person who pressed it", () => {
    expect(pressMessageOf(aPress(), AT)).toEqual({
      channelId: "slack",
      providerMessageId: "press:C0OPS0001:1704110400.000300:U0BOB0001:yes K7Q2MX",
      from: "U0BOB0001",
      conversation: "C0OPS0001",
      body: "yes K7Q2MX",
      receivedAt: AT,
    });
  });

  test("another app's button is not for TextOps", () => {
    const press = aPress({ actions: [{ action_id: "other_button", value: "x" }] });

    expect(pressMessageOf(press, AT)).toBeNull();
  });
});
