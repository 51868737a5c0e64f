import type { OutboundMessage, ReplyAction } from "@textops/contracts";
import type { Bot } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Logger } from "pino";
import {
  DeliveryRefused,
  providerConversation,
  type ChannelSender,
  type SentCopy,
} from "../channel-sender.js";
import { KeyedBuckets, TokenBucket } from "../token-bucket.js";
import { clipped, splitText } from "../split-text.js";
import { deliveryErrorOf, isNotModified } from "./telegram-errors.js";

export interface TelegramSenderDeps {
  clock?: () => number;
  log?: Logger;
  /** Telegram allows about 30 messages a second per bot; the default keeps below. */
  perBotPerSecond?: number;
  /** 1 a second per chat. */
  perChatPerSecond?: number;
  /** 20 a minute per group (a chat with a negative id), besides the per-chat rate. */
  perGroupPerMinute?: number;
}

/** The longest text Telegram takes in one message. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** The most bytes Telegram keeps as a button's callback_data. */
export const CALLBACK_DATA_LIMIT = 64;

/**
 * The buttons of `actions` in one row; each press hands back its reply text.
 * A button that must ask for a value first is left out: Telegram cannot ask.
 */
export function keyboardOf(all: ReplyAction[]): InlineKeyboardMarkup {
  const actions = all.filter((action) => action.asks === undefined);
  for (const action of actions) {
    if (Buffer.byteLength(action.reply, "utf8") > CALLBACK_DATA_LIMIT) {
      throw new DeliveryRefused(
        `a button's reply is longer than Telegram's ${CALLBACK_DATA_LIMIT} bytes of callback data: ${JSON.stringify(action.reply)}`,
      );
    }
  }
  const row = actions.map((action) => ({ text: action.label, callback_data: action.reply }));
  return { inline_keyboard: row.length === 0 ? [] : [row] };
}

/** Telegram's chat id of a conversation ("telegram:-1001234" is the group -1001234). */
function chatOf(message: OutboundMessage): string {
  const chat = providerConversation(message.conversation);
  if (!/^-?\d{1,20}$/.test(chat)) {
    throw new DeliveryRefused(`not a Telegram chat id: ${JSON.stringify(chat)}`);
  }
  return chat;
}

const isGroup = (chat: string) => chat.startsWith("-");

/**
 * The Telegram channel's sender: texts go out with sendMessage (split when
 * longer than Telegram takes, the buttons under the last part) at the pace
 * Telegram allows, and a replacing message edits the copy sent before.
 */
export function createTelegramSender(bot: Bot, deps: TelegramSenderDeps = {}): ChannelSender {
  const clock = deps.clock ?? Date.now;
  const perBot = new TokenBucket(
    { perInterval: deps.perBotPerSecond ?? 25, intervalMs: 1000 },
    clock,
  );
  const perChat = new KeyedBuckets(
    { perInterval: deps.perChatPerSecond ?? 1, intervalMs: 1000 },
    clock,
  );
  const perGroup = new KeyedBuckets(
    { perInterval: deps.perGroupPerMinute ?? 20, intervalMs: 60_000 },
    clock,
  );

  async function turn(chat: string): Promise<void> {
    await perChat.take(chat);
    if (isGroup(chat)) await perGroup.take(chat);
    await perBot.take();
  }

  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw deliveryErrorOf(error, bot.token);
    }
  }

  return {
    channelId: "telegram",

    async send(message) {
      const chat = chatOf(message);
      const keyboard = message.actions?.length ? keyboardOf(message.actions) : undefined;
      const parts = splitText(message.body, TELEGRAM_TEXT_LIMIT);
      const ids: string[] = [];
      for (const [index, text] of parts.entries()) {
        const last = index === parts.length - 1;
        await turn(chat);
        const sent = await call(() =>
          bot.api.sendMessage(chat, text, last && keyboard ? { reply_markup: keyboard } : {}),
        );
        ids.push(String(sent.message_id));
      }
      deps.log?.debug({ chat, providerMessageIds: ids }, "telegram message sent");
      return { providerMessageIds: ids } satisfies SentCopy;
    },

    async edit(message, copy) {
      const chat = chatOf(message);
      const messageId = Number(copy.providerMessageIds.at(-1));
      if (!Number.isSafeInteger(messageId)) {
        throw new DeliveryRefused("the copy to edit has no Telegram message id");
      }
      const keyboard = message.actions?.length
        ? keyboardOf(message.actions)
        : { inline_keyboard: [] };
      await turn(chat);
      try {
        await bot.api.editMessageText(chat, messageId, clipped(message.body, TELEGRAM_TEXT_LIMIT), {
          reply_markup: keyboard,
        });
      } catch (error) {
        // "message is not modified": the copy already says this (an edit delivered twice).
        if (!isNotModified(error)) throw deliveryErrorOf(error, bot.token);
      }
      deps.log?.debug({ chat, providerMessageId: String(messageId) }, "telegram message edited");
    },
  };
}
