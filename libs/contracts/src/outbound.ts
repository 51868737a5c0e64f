import { z } from "zod";
import { NonEmpty } from "./primitives.js";

/**
 * A reply the person can give with one press, on a channel with buttons
 * (Telegram's inline keyboard, Slack's Block Kit). Channels without buttons
 * show only the text, which says what to reply.
 */
export const ReplyAction = z.object({
  label: z.string().min(1).max(30),
  /** The text the press stands for, as if the person had sent it (e.g. "yes K7Q2MX"). */
  reply: z.string().min(1).max(60),
  /**
   * The press asks the presser for a value first (a confirm code), under this
   * label; the reply is then `reply`, a space and the value. A channel that
   * cannot ask (Telegram) shows no such button.
   */
  asks: z.string().min(1).max(30).optional(),
});
export type ReplyAction = z.infer<typeof ReplyAction>;

/** A text TextOps sends back to a conversation on a channel. */
export const OutboundMessage = z.object({
  channelId: NonEmpty,
  conversation: NonEmpty,
  body: z.string().min(1),
  /** The run the text is about, when there is one. */
  correlationId: z.string(),
  /** Same key, same text: channels deliver a key once. */
  idempotencyKey: NonEmpty,
  /** Buttons under the text, where the channel has them. */
  actions: z.array(ReplyAction).max(4).optional(),
  /**
   * The idempotency key of a message sent before that this one replaces:
   * channels that can edit a sent message edit that copy in place (its
   * buttons become `actions`, none when absent); the others send nothing.
   */
  replaces: NonEmpty.optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;
