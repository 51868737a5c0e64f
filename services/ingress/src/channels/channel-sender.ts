import type { OutboundMessage } from "@textops/contracts";

/** Where a delivered message lives at the provider, so a later message can edit it. */
export interface SentCopy {
  /** The provider's ids of what was sent: several when a long text went as several messages. */
  providerMessageIds: string[];
}

/**
 * One channel's side of outbound delivery: turns an OutboundMessage into
 * provider API calls. It holds no delivery bookkeeping (that is the delivery
 * consumer's): it sends, or throws one of the errors below.
 */
export interface ChannelSender {
  /** The channel id of the messages it sends ("sms", "telegram", "dev"). */
  readonly channelId: string;
  /**
   * Sending is a write to TextOps's own database, itself at most once per
   * idempotency key (the dev channel's mailbox): no delivery record is kept
   * and a message that arrived is not reported, since its mailbox is the
   * record. What never arrived is reported like on any channel.
   */
  readonly local?: boolean;
  /** Sends a new message to `message.conversation` (a full conversation id, "sms:+15551230001"). */
  send(message: OutboundMessage): Promise<SentCopy>;
  /**
   * Replaces the copy sent before with `message`'s text and buttons (none
   * when `message.actions` is absent). Absent on channels that cannot edit a
   * sent message; the consumer then sends nothing for a message that replaces.
   */
  edit?(message: OutboundMessage, copy: SentCopy): Promise<void>;
}

/** Why a channel will never deliver this message: dead-lettered with `reason`, and reported. */
export class DeliveryRefused extends Error {
  override readonly name = "DeliveryRefused";
  constructor(
    readonly reason: string,
    /** "opted-out": the number sent STOP; the timeline says so. */
    readonly kind: "refused" | "opted-out" = "refused",
  ) {
    super(reason);
  }
}

/**
 * The provider asked to slow down (429) or failed for now (5xx, network):
 * tried again through the delay queues, not before `retryAfterMs` when given.
 */
export class DeliveryDeferred extends Error {
  override readonly name = "DeliveryDeferred";
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The provider's id part of a full conversation id: "+15551230001" of "sms:+15551230001". */
export function providerConversation(conversation: string): string {
  const colon = conversation.indexOf(":");
  return colon < 0 ? conversation : conversation.slice(colon + 1);
}
