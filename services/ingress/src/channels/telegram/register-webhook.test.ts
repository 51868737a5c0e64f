import { startFakeTelegram, type FakeTelegram } from "@textops/channel-fakes";
import { describe, expect, test as base } from "vitest";
import { registerWebhook, WebhookNotRegistered, webhookUrlOf } from "./register-webhook.js";

const TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz";
const SECRET = "s3cret-webhook_token";

const test = base.extend<{ telegram: FakeTelegram }>({
  // eslint-disable-next-line no-empty-pattern
  telegram: async ({}, use) => {
    const telegram = await startFakeTelegram({ token: TOKEN });
    await use(telegram);
    await telegram.close();
  },
});

const settingsFor = (telegram: FakeTelegram) => ({
  token: TOKEN,
  webhookSecret: SECRET,
  apiRoot: telegram.apiRoot,
  username: "textops_bot",
});

describe(registerWebhook.name, () => {
  test("registers the route's URL with the secret token, for texts and presses only", async ({
    telegram,
  }) => {
    const registered = await registerWebhook(settingsFor(telegram), "https://ops.example.com/");

    expect(registered.url).toBe("https://ops.example.com/channels/telegram/webhook");
    expect(telegram.webhook()).toEqual({
      url: "https://ops.example.com/channels/telegram/webhook",
      secret_token: SECRET,
      allowed_updates: ["message", "callback_query"],
    });
  });

  test("Telegram's refusal is a clear error without the token or the secret", async ({
    telegram,
  }) => {
    telegram.failNext(1, {
      status: 400,
      description: "Bad Request: bad webhook: Failed to resolve host",
    });

    const error: unknown = await registerWebhook(
      settingsFor(telegram),
      "https://nowhere.example",
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebhookNotRegistered);
    expect((error as Error).message).toBe(
      "Telegram refused the webhook (400): Bad Request: bad webhook: Failed to resolve host",
    );
  });

  test("a wrong token is Telegram's 404, and the message does not show it", async ({
    telegram,
  }) => {
    const settings = { ...settingsFor(telegram), token: "123456:WRONG-token" };

    const error: unknown = await registerWebhook(settings, "https://ops.example.com").catch(
      (e: unknown) => e,
    );

    expect((error as Error).message).toBe(
      "Telegram refused the webhook (404): Not Found; is TELEGRAM_BOT_TOKEN right?",
    );
    expect(telegram.webhook()).toBeUndefined();
  });
});

describe(webhookUrlOf.name, () => {
  test.each([
    ["https://ops.example.com", "https://ops.example.com/channels/telegram/webhook"],
    [
      "https://ops.example.com:8443/textops/",
      "https://ops.example.com:8443/textops/channels/telegram/webhook",
    ],
  ])("%s → %s", (base, url) => {
    expect(webhookUrlOf(base)).toBe(url);
  });

  test.each(["http://ops.example.com", "https://ops.example.com:5048", "ops.example.com"])(
    "%s is refused before Telegram is asked",
    (base) => {
      expect(() => webhookUrlOf(base)).toThrow(WebhookNotRegistered);
    },
  );
});
