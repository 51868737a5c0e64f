import { ConfigError } from "@textops/runtime";
import { describe, expect, test } from "vitest";
import { loadConfig } from "./config.js";

describe(loadConfig.name, () => {
  test("an empty environment gives the documented defaults", () => {
    expect(loadConfig({})).toEqual({
      port: 5048,
      host: "0.0.0.0",
      amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
      mongoUrl: "mongodb://127.0.0.1:27017/?retryWrites=false",
      mongoDb: "textops",
      replyTimeoutMs: 5000,
      publishTimeoutMs: 2000,
      usersFile: undefined,
      devChannel: "closed",
      logLevel: "info",
      // Twilio SMS, Telegram and Slack are off until their credentials are set.
      twilioAccountSid: undefined,
      twilioAuthToken: undefined,
      twilioFrom: undefined,
      publicBaseUrl: undefined,
      twilioApiUrl: "https://api.twilio.com",
      twilioRatePerSecond: 1,
      telegramBotToken: undefined,
      telegramWebhookSecret: undefined,
      telegramApiRoot: "https://api.telegram.org",
      telegramBotUsername: "textops_bot",
      slackBotToken: undefined,
      slackSigningSecret: undefined,
      slackApiUrl: "https://slack.com/api/",
    });
  });

  test("values are read and converted", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      AMQP_URL: "amqps://user:secret@rabbit.example:5671/prod",
      MONGO_URL: "mongodb+srv://user:secret@cluster.example/?retryWrites=false",
      MONGO_DB: "textops_prod",
      REPLY_TIMEOUT_MS: "250",
      PUBLISH_TIMEOUT_MS: "750",
      USERS_FILE: "/etc/textops/users.yaml",
      DEV_CHANNEL: "open",
      LOG_LEVEL: "debug",
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "twilio-auth-token",
      TWILIO_FROM: "+15551230000",
      PUBLIC_BASE_URL: "https://textops.example.com",
      TWILIO_API_URL: "http://127.0.0.1:4010",
      TWILIO_RATE_PER_SECOND: "3",
      TELEGRAM_BOT_TOKEN: "4242:bot-secret-part",
      TELEGRAM_WEBHOOK_SECRET: "hook-secret",
      TELEGRAM_API_ROOT: "http://127.0.0.1:4011/",
      TELEGRAM_BOT_USERNAME: "@ops_bot",
      SLACK_BOT_TOKEN: "xoxb-4242-bot-secret-part",
      SLACK_SIGNING_SECRET: "slack-signing-secret",
      SLACK_API_URL: "http://127.0.0.1:4013/api",
    });

    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      amqpUrl: "amqps://user:secret@rabbit.example:5671/prod",
      mongoUrl: "mongodb+srv://user:secret@cluster.example/?retryWrites=false",
      mongoDb: "textops_prod",
      replyTimeoutMs: 250,
      publishTimeoutMs: 750,
      usersFile: "/etc/textops/users.yaml",
      devChannel: "open",
      logLevel: "debug",
      twilioAccountSid: `AC${"0".repeat(32)}`,
      twilioAuthToken: "twilio-auth-token",
      twilioFrom: "+15551230000",
      publicBaseUrl: "https://textops.example.com",
      twilioApiUrl: "http://127.0.0.1:4010",
      twilioRatePerSecond: 3,
      telegramBotToken: "4242:bot-secret-part",
      telegramWebhookSecret: "hook-secret",
      telegramApiRoot: "http://127.0.0.1:4011",
      telegramBotUsername: "ops_bot",
      slackBotToken: "xoxb-4242-bot-secret-part",
      slackSigningSecret: "slack-signing-secret",
      slackApiUrl: "http://127.0.0.1:4013/api/",
    });
  });

  test("an empty variable counts as unset", () => {
    expect(loadConfig({ PORT: "", REPLY_TIMEOUT_MS: "" })).toMatchObject({
      port: 5048,
      replyTimeoutMs: 5000,
    });
  });

  test.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["REPLY_TIMEOUT_MS", "0"],
    ["REPLY_TIMEOUT_MS", "soon"],
    ["PUBLISH_TIMEOUT_MS", "1.5"],
    ["MONGO_DB", "a/b"],
    ["DEV_CHANNEL", "yes"],
    ["DEV_CHANNEL", "OPEN"],
    ["LOG_LEVEL", "loud"],
  ])("a bad %s (%s) stops start-up with an error naming it", (name, value) => {
    const load = () => loadConfig({ [name]: value });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^invalid configuration: ${name}: .*\\(got "${value}"\\)`));
  });

  test.each([
    ["AMQP_URL", "http://user:secret@127.0.0.1:5672"],
    ["AMQP_URL", "user:secret@127.0.0.1:5672"],
    ["MONGO_URL", "postgres://user:secret@db.example"],
    ["MONGO_URL", "mongodb://user:sec ret@db.example"],
  ])("a bad %s (%s) is named without echoing its credentials", (name, value) => {
    const load = () => loadConfig({ [name]: value });

    expect(load).toThrow(new RegExp(`^invalid configuration: ${name}: `));
    expect(load).not.toThrow(/secret|sec ret|ret@/);
  });

  test("a bad URL is shown with its password masked", () => {
    expect(() => loadConfig({ AMQP_URL: "http://user:secret@127.0.0.1:5672" })).toThrow(
      '(got "http://user:***@127.0.0.1:5672")',
    );
  });
});
