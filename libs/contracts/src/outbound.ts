import { z } from "zod";
import { NonEmpty } from "./primitives.js";

/** A text TextOps sends back to a conversation on a channel. */
export const OutboundMessage = z.object({
  channelId: NonEmpty,
  conversation: NonEmpty,
  body: z.string().min(1),
  /** The run the text is about, when there is one. */
  correlationId: z.string(),
  /** Same key, same text: channels deliver a key once. */
  idempotencyKey: NonEmpty,
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;
