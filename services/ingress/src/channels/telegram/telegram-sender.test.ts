import type { OutboundMessage } from "@textops/contracts";
import { startFakeTelegram, type FakeTelegram } from "@textops/channel-fakes";
import type { Bot } from "grammy";
import { afterEach, describe, expect, test as base, vi } from "vitest";
import { APPROVE_AND_DENY, aNoticeTo, rejection } from "../../testing/outbound-fixtures.js";
import { DeliveryDeferred, DeliveryRefused } from "../channel-sender.js";
import { createTelegramBot } from "./telegram-bot.js";
import { createTelegramSender } from "./telegram-sender.js";

const TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz";

const test = base.extend<{ telegram: FakeTelegram; bot: Bot }>({
  // eslint-disable-next-line no-empty-pattern
  telegram: async ({}, use) => {
    const telegram = await startFakeTelegram({ token: TOKEN });
    await use(telegram);
    await telegram.close();
  },
  bot: async ({ telegram }, use) => {
    await use(
      createTelegramBot({ token: TOKEN, apiRoot: telegram.apiRoot, username: "textops_bot" }),
    );
  },
});

afterEach(() => {
  vi.useRealTimers();
});

const aMessage = (fields: Partial<OutboundMessage> = {}) => aNoticeTo("telegram:4242", fields);

describe(createTelegramSender.name, () => {
  test("a message goes out with its actions as one row of buttons", async ({ telegram, bot }) => {
    const copy = await createTelegramSender(bot).send(aMessage({ actions: APPROVE_AND_DENY }));

    const [message] = telegram.messages(4242);
    expect(copy).toEqual({ providerMessageIds: [String(message?.message_id)] });
    expect(message).toMatchObject({
      text: "Run K7Q2MX of deploy needs your approval.",
      reply_markup: {
        inline_keyboard: [
          [
            { text: "Approve", callback_data: "yes K7Q2MX" },
            { text: "Deny", callback_data: "no K7Q2MX" },
          ],
        ],
      },
    });
  });

  test("a button that must ask for a confirm code is left out: Telegram cannot ask", async ({
    telegram,
    bot,
  }) => {
    const actions = [
      { label: "Approve…", reply: "yes K7Q2MX", asks: "Confirm code" },
      { label: "Deny", reply: "no K7Q2MX" },
    ];

    await createTelegramSender(bot).send(aMessage({ actions }));

    expect(telegram.messages(4242)[0]?.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Deny", callback_data: "no K7Q2MX" }]],
    });
  });

  test("a message without actions has no buttons", async ({ telegram, bot }) => {
    await createTelegramSender(bot).send(aMessage());

    expect(telegram.messages(4242)).toEqual([
      expect.not.objectContaining({ reply_markup: expect.anything() as unknown }),
    ]);
    expect(telegram.calls("sendMessage")[0]?.params).not.toHaveProperty("reply_markup");
  });

  test("a text longer than Telegram takes goes as several messages, the buttons under the last", async ({
    telegram,
    bot,
  }) => {
    const line = "x".repeat(99);
    const body = Array.from({ length: 90 }, () => line).join("\n");

    const copy = await createTelegramSender(bot, { perChatPerSecond: 100 }).send(
      aMessage({ body, actions: APPROVE_AND_DENY }),
    );

    const messages = telegram.messages(4242);
    expect(messages.map((m) => m.text.length)).toEqual([3999, 3999, 999]);
    expect(messages.map((m) => m.text).join("\n")).toBe(body);
    expect(messages[0]).not.toHaveProperty("reply_markup");
    expect(messages[1]).not.toHaveProperty("reply_markup");
    expect(messages[2]).toHaveProperty("reply_markup");
    expect(copy.providerMessageIds).toEqual(messages.map((m) => String(m.message_id)));
  });

  test("a reply longer than 64 bytes of callback data is refused before anything is sent", async ({
    telegram,
    bot,
  }) => {
    const actions = [{ label: "Approve", reply: `yes ${"K".repeat(61)}` }];

    const error = await rejection(
      createTelegramSender(bot).send(aMessage({ actions })),
      DeliveryRefused,
    );

    expect(error.reason).toMatch(/64 bytes/);
    expect(telegram.calls()).toEqual([]);
  });

  test("an edit replaces the text and takes the buttons away", async ({ telegram, bot }) => {
    const sender = createTelegramSender(bot, { perChatPerSecond: 100 });
    const copy = await sender.send(aMessage({ actions: APPROVE_AND_DENY }));

    await sender.edit?.(
      aMessage({ body: "Run K7Q2MX approved by alice.", replaces: "approval-request:K7Q2MX:4242" }),
      copy,
    );

    expect(telegram.messages(4242)).toEqual([
      {
        message_id: Number(copy.providerMessageIds[0]),
        chatId: "4242",
        text: "Run K7Q2MX approved by alice.",
      },
    ]);
    expect(telegram.calls("editMessageText")[0]?.params).toMatchObject({
      reply_markup: { inline_keyboard: [] },
    });
  });

  test("an edit that changes nothing (delivered twice) succeeds", async ({ telegram, bot }) => {
    const sender = createTelegramSender(bot, { perChatPerSecond: 100 });
    const copy = await sender.send(aMessage({ actions: APPROVE_AND_DENY }));
    const approved = aMessage({ body: "Run K7Q2MX approved by alice." });
    await sender.edit?.(approved, copy);

    await expect(sender.edit?.(approved, copy)).resolves.toBeUndefined();

    expect(telegram.calls("editMessageText")).toHaveLength(2);
  });

  test("an edit of a message Telegram does not have is refused", async ({ bot }) => {
    const error = await rejection(
      Promise.resolve(
        createTelegramSender(bot).edit?.(aMessage(), { providerMessageIds: ["999"] }),
      ),
      DeliveryRefused,
    );

    expect(error.reason).toBe("Telegram 400: Bad Request: message to edit not found");
  });

  test("a 429 is deferred for as long as Telegram's retry_after says", async ({
    telegram,
    bot,
  }) => {
    telegram.failNext(1, {
      status: 429,
      description: "Too Many Requests: retry after 7",
      retryAfterSeconds: 7,
    });

    const error = await rejection(createTelegramSender(bot).send(aMessage()), DeliveryDeferred);

    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toBe("Telegram 429: Too Many Requests: retry after 7");
  });

  test("a 500 is deferred", async ({ telegram, bot }) => {
    telegram.failNext(1, { status: 500, description: "Internal Server Error" });

    const error = await rejection(createTelegramSender(bot).send(aMessage()), DeliveryDeferred);

    expect(error.retryAfterMs).toBeUndefined();
  });

  test("Telegram out of reach is deferred, and the error does not show the token", async ({
    telegram,
  }) => {
    const apiRoot = telegram.apiRoot;
    await telegram.close();
    const unreachable = createTelegramBot({ token: TOKEN, apiRoot, username: "textops_bot" });

    const error = await rejection(
      createTelegramSender(unreachable).send(aMessage()),
      DeliveryDeferred,
    );

    expect(error.message).toBe("Telegram unreachable: Network request for 'sendMessage' failed!");
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      TOKEN.split(":")[1],
    );
  });

  test.for<[number, string, string]>([
    [400, "Bad Request: chat not found", "Telegram 400: Bad Request: chat not found"],
    [
      403,
      "Forbidden: bot was blocked by the user",
      "Telegram 403: Forbidden: bot was blocked by the user",
    ],
  ])(
    "a %i is refused with Telegram's reason",
    async ([status, description, reason], { telegram, bot }) => {
      telegram.failNext(1, { status, description });

      const error = await rejection(createTelegramSender(bot).send(aMessage()), DeliveryRefused);

      expect(error.reason).toBe(reason);
    },
  );

  test("sends to one chat are spaced a second apart; another chat does not wait", async ({
    bot,
  }) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const startedAt = Date.now();
    const calledAt: { chat: unknown; at: number }[] = [];
    bot.api.config.use((call, method, payload, signal) => {
      calledAt.push({
        chat: (payload as { chat_id?: unknown }).chat_id,
        at: Date.now() - startedAt,
      });
      return call(method, payload, signal);
    });
    const sender = createTelegramSender(bot, { clock: () => Date.now() });

    const sent = Promise.all([
      sender.send(aMessage({ body: "one" })),
      sender.send(aMessage({ body: "two" })),
      sender.send(aMessage({ conversation: "telegram:777", body: "elsewhere" })),
      sender.send(aMessage({ body: "three" })),
    ]);
    let done = false;
    void sent.finally(() => (done = true));
    // Fake time runs on while the fake answers for real; the buckets decide when each call starts.
    while (!done) await vi.advanceTimersByTimeAsync(50);
    await sent;

    const times = (chat: string) => calledAt.filter((c) => c.chat === chat).map((c) => c.at);
    const [first = 0, second = 0, third = 0] = times("4242");
    expect(times("4242")).toHaveLength(3);
    expect(second - first).toBeGreaterThanOrEqual(1000);
    expect(third - second).toBeGreaterThanOrEqual(1000);
    expect(times("777")).toEqual([0]);
  });

  test("a group takes at most 20 messages a minute", async ({ bot }) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const startedAt = Date.now();
    const calledAt: number[] = [];
    bot.api.config.use((call, method, payload, signal) => {
      calledAt.push(Date.now() - startedAt);
      return call(method, payload, signal);
    });
    const sender = createTelegramSender(bot, { clock: () => Date.now(), perGroupPerMinute: 2 });

    const group = aMessage({ conversation: "telegram:-1001234" });
    const sent = Promise.all([sender.send(group), sender.send(group), sender.send(group)]);
    let done = false;
    void sent.finally(() => (done = true));
    while (!done) await vi.advanceTimersByTimeAsync(1000);
    await sent;

    const [, second = 0, third = 0] = calledAt;
    expect(second).toBeGreaterThanOrEqual(1000);
    expect(third).toBeGreaterThanOrEqual(30_000);
  });

  test("a conversation that is no chat id is refused", async ({ telegram, bot }) => {
    const error = await rejection(
      createTelegramSender(bot).send(aMessage({ conversation: "telegram:someone" })),
      DeliveryRefused,
    );

    expect(error.reason).toMatch(/not a Telegram chat id/);
    expect(telegram.calls()).toEqual([]);
  });
});
