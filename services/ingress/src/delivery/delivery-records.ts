import type { SentCopy } from "../channels/channel-sender.js";

/**
 * What became of one idempotency key on its channel. `sending` is a claim
 * taken before the provider is called, so two copies of a message (an outbox
 * re-publish, two ingress replicas) never both reach the provider.
 */
export type DeliveryState = "sending" | "delivered" | "edited" | "refused" | "skipped";

export interface DeliveryRecord {
  idempotencyKey: string;
  channelId: string;
  conversation: string;
  correlationId: string;
  state: DeliveryState;
  /** Where the copy lives at the provider, once delivered. */
  providerMessageIds: string[];
  reason?: string;
  claimedAt: string;
  updatedAt: string;
}

export type Claim = { kind: "claimed" } | { kind: "taken"; record: DeliveryRecord };

/** The delivery records of ingress: one per idempotency key, under a unique key. */
export interface DeliveryRecords {
  /** Takes the key for a delivery now, unless a record of it exists. */
  claim(
    record: Pick<DeliveryRecord, "idempotencyKey" | "channelId" | "conversation" | "correlationId">,
    at: string,
  ): Promise<Claim>;
  /** Ends a claim: what the provider did with the message. */
  settle(
    idempotencyKey: string,
    outcome: { state: Exclude<DeliveryState, "sending">; copy?: SentCopy; reason?: string },
    at: string,
  ): Promise<void>;
  /** Gives a claim up after a failure that a later attempt may not meet. */
  release(idempotencyKey: string): Promise<void>;
  find(idempotencyKey: string): Promise<DeliveryRecord | null>;
}
