import { secretVariable, variable, type ConfigOf } from "@textops/runtime";
import { z } from "zod";

/** A bot token as BotFather gives it: the bot's numeric id, a colon, a secret part. */
export const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{1,200}$/;

/** What Telegram accepts as a webhook's `secret_token`. */
export const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The variables of the Telegram channel, spread into ingress's configLoader.
 * The channel is on when both the token and the webhook secret are set.
 */
export const telegramVariables = {
  telegramBotToken: secretVariable(
    "TELEGRAM_BOT_TOKEN",
    z
      .string()
      .regex(BOT_TOKEN, "expected a bot token as BotFather gives it (<id>:<secret>)")
      .optional(),
  ),
  telegramWebhookSecret: secretVariable(
    "TELEGRAM_WEBHOOK_SECRET",
    z
      .string()
      .regex(WEBHOOK_SECRET, "must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
      .optional(),
  ),
  telegramApiRoot: variable(
    "TELEGRAM_API_ROOT",
    z
      .url({ protocol: /^https?$/ })
      .transform((root) => root.replace(/\/+$/, ""))
      .default("https://api.telegram.org"),
  ),
  telegramBotUsername: variable(
    "TELEGRAM_BOT_USERNAME",
    z
      .string()
      .transform((name) => name.replace(/^@/, ""))
      .pipe(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{2,31}$/, "expected a bot's username"))
      .default("textops_bot"),
  ),
};

export type TelegramConfig = ConfigOf<typeof telegramVariables>;

/** The channel's settings once configured, or the variables it still needs. */
export type TelegramSettings =
  | { on: true; token: string; webhookSecret: string; apiRoot: string; username: string }
  | { on: false; missing: string[] };

export function telegramSettings(config: TelegramConfig): TelegramSettings {
  const { telegramBotToken: token, telegramWebhookSecret: webhookSecret } = config;
  if (token === undefined || webhookSecret === undefined) {
    const missing = [
      ...(token === undefined ? ["TELEGRAM_BOT_TOKEN"] : []),
      ...(webhookSecret === undefined ? ["TELEGRAM_WEBHOOK_SECRET"] : []),
    ];
    return { on: false, missing };
  }
  return {
    on: true,
    token,
    webhookSecret,
    apiRoot: config.telegramApiRoot,
    username: config.telegramBotUsername,
  };
}
