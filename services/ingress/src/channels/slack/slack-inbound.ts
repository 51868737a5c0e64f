import type { InboundMessage } from "@textops/contracts";
import { z } from "zod";

/** The channel id of Slack's conversations; the orchestrator prefixes addresses with it. */
export const SLACK_CHANNEL = "slack";

/** The buttons TextOps puts under its messages: `textops_reply_<i>`. */
export const REPLY_ACTION_PREFIX = "textops_reply";

/** Slack escapes these three in texts it hands over; `&amp;` last, so "&amp;lt;" stays "&lt;". */
export function unescaped(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** The leading mention of a user ("<@U0BOT>" or "<@U0BOT|textops>") and the space after it. */
const LEADING_MENTION = /^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>\s*/;

/**
 * The text without the leading mention of the bot. Without the bot's user
 * id (auth.test not answered yet) any leading mention goes: an app_mention
 * is addressed to the bot, so that is almost always it.
 */
export function withoutMention(text: string, botUserId?: string): string {
  const mention = LEADING_MENTION.exec(text);
  if (!mention || (botUserId !== undefined && mention[1] !== botUserId)) return text;
  return text.slice(mention[0].length);
}

const MessageEvent = z.looseObject({
  type: z.enum(["message", "app_mention"]),
  channel: z.string(),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

/** A direct message's channel id starts with D. */
const isDirect = (event: z.infer<typeof MessageEvent>) =>
  event.channel_type === "im" || event.channel.startsWith("D");

/**
 * A text a person wrote to TextOps: a message in the app's DM, or an
 * app_mention in a channel (without the mention). Null for anything else: a
 * bot's message, an edit or any other subtype, a channel message that does
 * not mention the app, and an app_mention inside a DM (its message event
 * carries it). Both events of one message name it alike, `msg:<channel>:<ts>`,
 * as does Slack retrying either, so the orchestrator's inbox takes it once.
 */
export function eventMessageOf(
  event: unknown,
  receivedAt: string,
  botUserId?: string,
): InboundMessage | null {
  const parsed = MessageEvent.safeParse(event);
  if (!parsed.success) return null;
  const message = parsed.data;
  if (message.subtype !== undefined || message.bot_id !== undefined) return null;
  if (message.user === undefined || message.text === undefined) return null;
  const direct = isDirect(message);
  if (message.type === "message" && !direct) return null;
  if (message.type === "app_mention" && direct) return null;
  const text =
    message.type === "app_mention" ? withoutMention(message.text, botUserId) : message.text;
  return {
    channelId: SLACK_CHANNEL,
    providerMessageId: `msg:${message.channel}:${message.ts}`,
    from: message.user,
    conversation: message.channel,
    body: unescaped(text).trim(),
    receivedAt,
  };
}

export interface SlashCommand {
  trigger_id: string;
  user_id: string;
  channel_id: string;
  text: string;
}

/** `/textops <text>` as the text it stands for; a bare `/textops` asks for help. */
export function commandMessageOf(command: SlashCommand, receivedAt: string): InboundMessage {
  const body = unescaped(command.text).trim();
  return {
    channelId: SLACK_CHANNEL,
    providerMessageId: `command:${command.trigger_id}`,
    from: command.user_id,
    conversation: command.channel_id,
    body: body === "" ? "help" : body,
    receivedAt,
  };
}

const BlockActions = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({ id: z.string() }),
  channel: z.looseObject({ id: z.string() }).optional(),
  message: z.looseObject({ ts: z.string() }).optional(),
  container: z.looseObject({ channel_id: z.string().optional() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })),
});

/**
 * A press of one of TextOps's buttons as the reply text it stands for, from
 * the person who pressed it (in a channel anyone may press: the channel is
 * never the sender). A second press of the same button on the same message
 * by the same person is the same message: a double click acts once. Null
 * for anything else (another app's button, a payload without a message).
 */
export function pressMessageOf(body: unknown, receivedAt: string): InboundMessage | null {
  const parsed = BlockActions.safeParse(body);
  if (!parsed.success) return null;
  const { user, channel, container, message, actions } = parsed.data;
  const action = actions.find((a) => a.action_id.startsWith(REPLY_ACTION_PREFIX));
  const conversation = channel?.id ?? container?.channel_id;
  if (!action?.value || !message || conversation === undefined) return null;
  return {
    channelId: SLACK_CHANNEL,
    providerMessageId: `press:${conversation}:${message.ts}:${user.id}:${action.value}`,
    from: user.id,
    conversation,
    body: action.value,
    receivedAt,
  };
}
