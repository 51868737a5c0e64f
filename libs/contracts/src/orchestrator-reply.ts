import { z } from "zod";
import { NonEmpty } from "./primitives.js";
import { OutboundMessage } from "./outbound.js";

/** The orchestrator's answer to one inbound message, sent to the message's replyTo. */
export const OrchestratorReply = z.object({
  inboundMessageId: NonEmpty,
  intentType: z.string(),
  jobKey: z.string().nullable(),
  runId: z.string().nullable(),
  dispatchedExecution: z.boolean(),
  /** True when the (channelId, providerMessageId) was seen before: nothing was done. */
  duplicate: z.boolean(),
  outbound: z.array(OutboundMessage),
});
export type OrchestratorReply = z.infer<typeof OrchestratorReply>;
