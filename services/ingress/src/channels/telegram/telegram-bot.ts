import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";

export interface TelegramBotSettings {
  token: string;
  apiRoot: string;
  username: string;
}

/** How long one Bot API call may take before it fails as a network error (grammY's default is 500 s). */
const CALL_TIMEOUT_SECONDS = 30;

/**
 * The bot as getMe would describe it, from the token's numeric prefix (the
 * bot's user id) and the configured username, so grammY never calls getMe.
 */
export function botInfoOf(token: string, username: string): UserFromGetMe {
  const id = Number(token.slice(0, token.indexOf(":")));
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new Error("a bot token starts with the bot's numeric id and a colon");
  }
  return {
    id,
    is_bot: true,
    first_name: username,
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** The grammY bot the webhook route and the sender share; it makes no call when built. */
export function createTelegramBot(settings: TelegramBotSettings): Bot {
  return new Bot(settings.token, {
    client: { apiRoot: settings.apiRoot, timeoutSeconds: CALL_TIMEOUT_SECONDS },
    botInfo: botInfoOf(settings.token, settings.username),
  });
}
