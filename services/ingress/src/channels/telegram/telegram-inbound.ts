import type { InboundMessage, OrchestratorReply } from "@textops/contracts";
import type { CallbackQuery, Message } from "grammy/types";
import { inboundText } from "./telegram-command.js";

/** The channel id of Telegram's conversations; the orchestrator prefixes addresses with it. */
export const TELEGRAM_CHANNEL = "telegram";

/** answerCallbackQuery shows at most 200 characters. */
const CALLBACK_TEXT_LIMIT = 200;

/** What a press answers when the orchestrator did not answer in time. */
export const PRESS_RECEIVED = "Received — the answer follows in the chat.";

/**
 * A text a person sent the bot, as TextOps reads it (the schema checks it
 * next: a text may be longer than TextOps takes); null when it is not for
 * TextOps (a command to another bot, no sender, a bot's message).
 */
export function textMessageOf(
  updateId: number,
  message: Message & { text: string },
  receivedAt: string,
  botUsername: string,
): InboundMessage | null {
  if (!message.from || message.from.is_bot) return null;
  const body = inboundText(message.text, botUsername);
  if (body === null) return null;
  return {
    channelId: TELEGRAM_CHANNEL,
    providerMessageId: String(updateId),
    from: String(message.from.id),
    conversation: String(message.chat.id),
    body,
    receivedAt,
  };
}

/**
 * A button press as the text the button stands for, from the person who
 * pressed it (in a group anyone may press: the chat is never the sender).
 */
export function buttonPressOf(
  updateId: number,
  query: CallbackQuery & { data: string },
  receivedAt: string,
): InboundMessage {
  return {
    channelId: TELEGRAM_CHANNEL,
    providerMessageId: String(updateId),
    from: String(query.from.id),
    conversation: String(query.message?.chat.id ?? query.from.id),
    body: query.data,
    receivedAt,
  };
}

/**
 * What the press's answer shows: the first line of the orchestrator's notice
 * to the conversation, the fallback when it did not answer in time, nothing
 * (the spinner just stops) when it sent no notice there.
 */
export function pressAnswerOf(
  outcome: OrchestratorReply | "timeout",
  conversation: string,
): string | undefined {
  if (outcome === "timeout") return PRESS_RECEIVED;
  const full = `${TELEGRAM_CHANNEL}:${conversation}`;
  const notice = outcome.outbound.find((message) => message.conversation === full);
  const line = notice?.body.split("\n", 1)[0]?.trim();
  if (!line) return undefined;
  return line.length <= CALLBACK_TEXT_LIMIT ? line : `${line.slice(0, CALLBACK_TEXT_LIMIT - 1)}…`;
}
