import type { InboundMessage, OrchestratorReply } from "@textops/contracts";
import { startFakeTelegram, type FakeTelegram } from "@textops/channel-fakes";
import express from "express";
import type { Bot } from "grammy";
import request from "supertest";
import { describe, expect, test as base, vi } from "vitest";
import { BrokerUnavailable, type InboundGateway } from "../../ports.js";
import { aCapturingLogger } from "../../testing/ingress-harness.js";
import { createTelegramBot } from "./telegram-bot.js";
import { PRESS_RECEIVED } from "./telegram-inbound.js";
import { TELEGRAM_WEBHOOK_PATH, telegramWebhookRoute } from "./telegram-webhook.route.js";

const TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz";
const SECRET = "s3cret-webhook_token";
const NOW = Date.parse("2024-01-01T12:00:00.000Z");
const ALICE = 1111;
const GROUP = -1009876;

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

type Answer = (message: InboundMessage) => OrchestratorReply | "timeout";

/** A gateway that records what it is handed; `down` makes it throw as an unreachable broker does. */
function aGateway(answer: Answer = () => "timeout", down = false) {
  const published: InboundMessage[] = [];
  const sent: InboundMessage[] = [];
  const gateway: InboundGateway = {
    publish: (message) => {
      if (down) return Promise.reject(new BrokerUnavailable("broker down"));
      published.push(message);
      return Promise.resolve();
    },
    send: (message) => {
      if (down) return Promise.reject(new BrokerUnavailable("broker down"));
      sent.push(message);
      return Promise.resolve(answer(message));
    },
  };
  return { gateway, published, sent };
}

function appWith(bot: Bot, gateway: InboundGateway, replyWaitMs?: number) {
  const { log, lines } = aCapturingLogger("debug");
  const app = express().use(
    telegramWebhookRoute({
      bot,
      gateway,
      webhookSecret: SECRET,
      clock: () => NOW,
      log,
      replyWaitMs,
    }),
  );
  return { app, lines };
}

const post = (app: express.Express, update: unknown, secret: string | null = SECRET) => {
  const call = request(app).post(TELEGRAM_WEBHOOK_PATH);
  return secret === null
    ? call.send(update as object)
    : call.set("X-Telegram-Bot-Api-Secret-Token", secret).send(update as object);
};

function aText(text: string, { updateId = 500, chat = ALICE, from = ALICE } = {}) {
  return {
    update_id: updateId,
    message: {
      message_id: 77,
      date: NOW / 1000,
      chat:
        chat < 0
          ? { id: chat, type: "supergroup", title: "ops" }
          : { id: chat, type: "private", first_name: "Alice" },
      from: { id: from, is_bot: false, first_name: "Alice" },
      text,
    },
  };
}

function aPress(data: string, { updateId = 501, chat = GROUP, from = ALICE } = {}) {
  return {
    update_id: updateId,
    callback_query: {
      id: "cbq-1",
      from: { id: from, is_bot: false, first_name: "Alice" },
      chat_instance: "ci-1",
      data,
      message: {
        message_id: 78,
        date: NOW / 1000,
        chat: { id: chat, type: "supergroup", title: "ops" },
        text: "Run K7Q2MX needs approval",
      },
    },
  };
}

function aReply(conversation: string, body: string): OrchestratorReply {
  return {
    inboundMessageId: "in-1",
    intentType: "Approve",
    jobKey: "deploy",
    runId: "K7Q2MX",
    dispatchedExecution: true,
    duplicate: false,
    outbound: [
      {
        channelId: "telegram",
        conversation,
        body,
        correlationId: "K7Q2MX",
        idempotencyKey: "approved:K7Q2MX",
      },
    ],
  };
}

describe(telegramWebhookRoute.name, () => {
  test("a text with the right secret is handed on once, as the person's message in the chat", async ({
    bot,
  }) => {
    const { gateway, published, sent } = aGateway();
    const { app } = appWith(bot, gateway);

    const response = await post(app, aText("run deploy env=staging"));

    expect(response.status).toBe(200);
    expect(published).toEqual([
      {
        channelId: "telegram",
        providerMessageId: "500",
        from: String(ALICE),
        conversation: String(ALICE),
        body: "run deploy env=staging",
        receivedAt: "2024-01-01T12:00:00.000Z",
      },
    ]);
    expect(sent).toEqual([]);
  });

  test.for([
    ["a wrong secret", "not-the-secret"],
    ["no secret", null],
  ] as const)(
    "%s is a 401; nothing is handed on and the log does not show it",
    async ([, secret], { bot }) => {
      const { gateway, published } = aGateway();
      const { app, lines } = appWith(bot, gateway);

      const response = await post(app, aText("run deploy"), secret);

      expect(response.status).toBe(401);
      expect(published).toEqual([]);
      expect(lines()).toContainEqual(expect.objectContaining({ level: 40 }));
      expect(JSON.stringify(lines())).not.toContain("not-the-secret");
    },
  );

  test("a command addressed to the bot reads as the plain text", async ({ bot }) => {
    const { gateway, published } = aGateway();
    const { app } = appWith(bot, gateway);

    await post(app, aText("/status@textops_bot K7Q2MX", { chat: GROUP }));
    await post(app, aText("/start", { updateId: 502 }));

    expect(published.map((m) => [m.body, m.conversation])).toEqual([
      ["status K7Q2MX", String(GROUP)],
      ["help", String(ALICE)],
    ]);
  });

  test("a button press is sent as its reply text, from the person who pressed, and answered with the reply's first line", async ({
    bot,
    telegram,
  }) => {
    const { gateway, sent, published } = aGateway((message) =>
      aReply(
        `telegram:${message.conversation}`,
        "Run K7Q2MX approved by alice (1 of 1).\nIt starts now.",
      ),
    );
    const { app } = appWith(bot, gateway);

    const response = await post(app, aPress("yes K7Q2MX", { from: 2222 }));

    expect(response.status).toBe(200);
    expect(sent).toEqual([
      {
        channelId: "telegram",
        providerMessageId: "501",
        from: "2222",
        conversation: String(GROUP),
        body: "yes K7Q2MX",
        receivedAt: "2024-01-01T12:00:00.000Z",
      },
    ]);
    expect(published).toEqual([]);
    expect(telegram.calls("answerCallbackQuery").map((c) => c.params)).toEqual([
      { callback_query_id: "cbq-1", text: "Run K7Q2MX approved by alice (1 of 1)." },
    ]);
  });

  test("a press the orchestrator does not answer in time is answered with the fallback", async ({
    bot,
    telegram,
  }) => {
    const { gateway } = aGateway(() => "timeout");
    const { app } = appWith(bot, gateway);

    await post(app, aPress("no K7Q2MX"));

    expect(telegram.calls("answerCallbackQuery").map((c) => c.params)).toEqual([
      { callback_query_id: "cbq-1", text: PRESS_RECEIVED },
    ]);
  });

  test("a press is answered once the wait runs out, and acknowledged once the broker took it", async ({
    bot,
    telegram,
  }) => {
    let confirm: (outcome: "timeout") => void = () => {};
    const slow: InboundGateway = {
      publish: () => Promise.resolve(),
      send: () => new Promise((resolve) => (confirm = resolve)),
    };
    const { app } = appWith(bot, slow, 1);
    let status: number | undefined;

    const response = post(app, aPress("yes K7Q2MX")).then((r) => (status = r.status));
    await vi.waitFor(() => expect(telegram.calls("answerCallbackQuery")).toHaveLength(1));
    expect(status).toBeUndefined();
    confirm("timeout");
    await response;

    expect(status).toBe(200);
    expect(telegram.calls("answerCallbackQuery")[0]?.params).toMatchObject({
      text: PRESS_RECEIVED,
    });
  });

  test("a press whose answer Telegram refuses is still a 200: the message was taken", async ({
    bot,
    telegram,
  }) => {
    const { gateway, sent } = aGateway(() => "timeout");
    const { app } = appWith(bot, gateway);
    telegram.failNext(1, {
      status: 400,
      description: "Bad Request: query is too old and response timeout expired",
    });

    const response = await post(app, aPress("yes K7Q2MX"));

    expect(response.status).toBe(200);
    expect(sent).toHaveLength(1);
  });

  test.for([
    [
      "a sticker",
      {
        update_id: 9,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: ALICE, type: "private" },
          from: { id: ALICE, is_bot: false, first_name: "A" },
          sticker: { file_id: "x" },
        },
      },
    ],
    [
      "an edited message",
      { update_id: 10, edited_message: { ...aText("run deploy").message, edit_date: 2 } },
    ],
    ["a member joining", { update_id: 11, my_chat_member: { chat: { id: GROUP, type: "group" } } }],
    ["a command for another bot", aText("/status@other_bot K7Q2MX", { chat: GROUP })],
  ] as const)("%s is a 200 and nothing is handed on", async ([, update], { bot }) => {
    const { gateway, published, sent } = aGateway();
    const { app } = appWith(bot, gateway);

    const response = await post(app, update);

    expect(response.status).toBe(200);
    expect(published).toEqual([]);
    expect(sent).toEqual([]);
  });

  test("a text TextOps does not take (too long) is a 200 with a warning, so Telegram does not retry it", async ({
    bot,
  }) => {
    const { gateway, published } = aGateway();
    const { app, lines } = appWith(bot, gateway);

    const response = await post(app, aText("x".repeat(4090)));

    expect(response.status).toBe(200);
    expect(published).toEqual([]);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: "telegram update not taken: not a valid inbound message",
      }),
    );
  });

  test("a broker that does not take the message is a 503, so Telegram retries", async ({ bot }) => {
    const { gateway } = aGateway(undefined, true);
    const { app } = appWith(bot, gateway);

    expect((await post(app, aText("run deploy"))).status).toBe(503);
    expect((await post(app, aPress("yes K7Q2MX"))).status).toBe(503);
  });

  test("a body that is no JSON is a 400", async ({ bot }) => {
    const { gateway, published } = aGateway();
    const { app } = appWith(bot, gateway);

    const response = await request(app)
      .post(TELEGRAM_WEBHOOK_PATH)
      .set("X-Telegram-Bot-Api-Secret-Token", SECRET)
      .set("Content-Type", "application/json")
      .send("{not json");

    expect(response.status).toBe(400);
    expect(published).toEqual([]);
  });
});
