import { z } from "zod";
import { NonEmpty, Timestamp } from "./primitives.js";

/** Maximum length of a message body a channel may hand in. */
export const MAX_BODY_LENGTH = 4000;

/** A text a person sent on some channel, as ingress hands it to the orchestrator. */
export const InboundMessage = z.object({
  channelId: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a channel id is a short lowercase name"),
  providerMessageId: NonEmpty.max(200),
  from: NonEmpty.max(200),
  conversation: NonEmpty.max(200),
  body: z.string().max(MAX_BODY_LENGTH),
  receivedAt: Timestamp,
});
export type InboundMessage = z.infer<typeof InboundMessage>;
