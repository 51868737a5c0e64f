import { ConfigError, configLoader } from "@textops/runtime";
import { describe, expect, test } from "vitest";
import { botInfoOf } from "./telegram-bot.js";
import { telegramSettings, telegramVariables } from "./telegram-config.js";

const load = configLoader(telegramVariables);
const TOKEN = "123456:AAE-secret_part0123456789abcdefghij";
const SECRET = "webhook-secret_0123456789";

describe(telegramSettings.name, () => {
  test("without a token and a webhook secret the channel is off and says what it needs", () => {
    expect(telegramSettings(load({}))).toEqual({
      on: false,
      missing: ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"],
    });
    expect(telegramSettings(load({ TELEGRAM_BOT_TOKEN: TOKEN }))).toEqual({
      on: false,
      missing: ["TELEGRAM_WEBHOOK_SECRET"],
    });
  });

  test("with both it is on, with the default API root and username", () => {
    const config = load({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET });

    expect(telegramSettings(config)).toEqual({
      on: true,
      token: TOKEN,
      webhookSecret: SECRET,
      apiRoot: "https://api.telegram.org",
      username: "textops_bot",
    });
  });

  test("the API root loses its trailing slash; the username its @", () => {
    const config = load({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      TELEGRAM_BOT_USERNAME: "@acme_ops_bot",
    });

    expect(telegramSettings(config)).toMatchObject({
      apiRoot: "http://127.0.0.1:8081",
      username: "acme_ops_bot",
    });
  });

  test.each([
    ["TELEGRAM_WEBHOOK_SECRET", "has spaces and ünïcode"],
    ["TELEGRAM_WEBHOOK_SECRET", "x".repeat(257)],
    ["TELEGRAM_BOT_TOKEN", "not-a-token-at-all"],
  ])("a bad %s stops the service without showing its value", (name, value) => {
    const loading = () => load({ [name]: value });

    expect(loading).toThrow(ConfigError);
    expect(loading).toThrow(name);
    expect(loading).not.toThrow(value);
  });
});

describe(botInfoOf.name, () => {
  test("the bot's id is the token's numeric prefix", () => {
    expect(botInfoOf(TOKEN, "textops_bot")).toMatchObject({
      id: 123456,
      is_bot: true,
      username: "textops_bot",
    });
  });
});
