import { z } from "zod";
import { NonEmpty, Timestamp } from "./primitives.js";

export const DeliveryOutcome = z.enum(["delivered", "edited", "not-delivered"]);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

/**
 * What became of one outbound message (by its idempotency key), as the
 * channel's delivery consumer in ingress saw it. It goes to the orchestrator,
 * the only writer of timelines, which notes it on the run it is about.
 */
export const DeliveryReport = z.object({
  channelId: NonEmpty,
  conversation: NonEmpty,
  idempotencyKey: NonEmpty,
  /** The run the message was about ("" when none). */
  correlationId: z.string(),
  outcome: DeliveryOutcome,
  /** Why it was not delivered: "opted out", "HTTP 400: …", "gave up after 8 attempts: …". */
  reason: z.string().max(500).optional(),
  /** The provider's ids of what was sent (several when a long text was split). */
  providerMessageIds: z.array(NonEmpty).max(20).optional(),
  at: Timestamp,
});
export type DeliveryReport = z.infer<typeof DeliveryReport>;
