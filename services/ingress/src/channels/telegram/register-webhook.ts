import { GrammyError, HttpError } from "grammy";
import { createTelegramBot, type TelegramBotSettings } from "./telegram-bot.js";
import { withoutSecret } from "../without-secret.js";
import { TELEGRAM_WEBHOOK_PATH } from "./telegram-webhook.route.js";

/** The updates TextOps reads; Telegram sends no others. */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Telegram delivers webhooks only over HTTPS on these ports. */
const WEBHOOK_PORTS = new Set(["", "443", "80", "88", "8443"]);

export interface WebhookSettings extends TelegramBotSettings {
  webhookSecret: string;
}

/** Why the webhook was not registered; the message never holds the token or the secret. */
export class WebhookNotRegistered extends Error {
  override readonly name = "WebhookNotRegistered";
}

/** Where Telegram is to post updates: the public base URL and the route's path. */
export function webhookUrlOf(publicBaseUrl: string): string {
  let base: URL;
  try {
    base = new URL(publicBaseUrl);
  } catch {
    throw new WebhookNotRegistered(
      `PUBLIC_BASE_URL is not a URL: ${JSON.stringify(publicBaseUrl)}`,
    );
  }
  if (base.protocol !== "https:" || !WEBHOOK_PORTS.has(base.port)) {
    throw new WebhookNotRegistered(
      `PUBLIC_BASE_URL must be an https:// URL on port 443, 80, 88 or 8443 (Telegram posts nowhere else); got ${base.origin}`,
    );
  }
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
}

/**
 * Tells Telegram to post the bot's updates (texts and button presses) to
 * this ingress, with the secret token it checks. Resolves with the URL.
 */
export async function registerWebhook(
  settings: WebhookSettings,
  publicBaseUrl: string,
): Promise<{ url: string; allowedUpdates: string[] }> {
  const url = webhookUrlOf(publicBaseUrl);
  const bot = createTelegramBot(settings);
  try {
    await bot.api.setWebhook(url, {
      secret_token: settings.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
  } catch (error) {
    const scrub = (text: string) =>
      withoutSecret(withoutSecret(text, settings.token), settings.webhookSecret);
    if (error instanceof GrammyError) {
      // Telegram answers a token it does not know with 401 or 404.
      const hint = [401, 404].includes(error.error_code) ? "; is TELEGRAM_BOT_TOKEN right?" : "";
      throw new WebhookNotRegistered(
        scrub(`Telegram refused the webhook (${error.error_code}): ${error.description}${hint}`),
      );
    }
    if (error instanceof HttpError) {
      throw new WebhookNotRegistered(scrub(`Telegram could not be reached at ${settings.apiRoot}`));
    }
    throw error;
  }
  return { url, allowedUpdates: [...ALLOWED_UPDATES] };
}
