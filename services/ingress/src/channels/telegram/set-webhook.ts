/**
 * Registers the bot's webhook with Telegram:
 * `node services/ingress/dist/channels/telegram/set-webhook.js`, with
 * TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, PUBLIC_BASE_URL (and
 * TELEGRAM_API_ROOT when not Telegram's) in the environment.
 */
import { ConfigError, configLoader, variable } from "@textops/runtime";
import { z } from "zod";
import { registerWebhook, WebhookNotRegistered } from "./register-webhook.js";
import { telegramSettings, telegramVariables } from "./telegram-config.js";

const loadConfig = configLoader({
  ...telegramVariables,
  publicBaseUrl: variable("PUBLIC_BASE_URL", z.string().optional()),
});

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const settings = telegramSettings(config);
  const missing = [
    ...(settings.on ? [] : settings.missing),
    ...(config.publicBaseUrl === undefined ? ["PUBLIC_BASE_URL"] : []),
  ];
  if (!settings.on || config.publicBaseUrl === undefined) {
    throw new ConfigError(`set ${missing.join(", ")} to register the Telegram webhook`);
  }
  const { url, allowedUpdates } = await registerWebhook(settings, config.publicBaseUrl);
  console.log(`Telegram webhook registered: ${url} (updates: ${allowedUpdates.join(", ")})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof WebhookNotRegistered) {
    console.error(`telegram webhook not registered: ${error.message}`);
  } else {
    console.error("telegram webhook not registered: unexpected error", error);
  }
  process.exitCode = 1;
});
