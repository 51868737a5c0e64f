import { MAX_BODY_LENGTH, type InboundMessage } from "@textops/contracts";
import { z } from "zod";

/** The dev channel's id, as the orchestrator and the outbound queue know it. */
export const DEV_CHANNEL = "dev";

/** Half of a UTF-16 surrogate pair on its own: JSON allows it, but it is no Unicode text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const Text = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max)
    .refine((text) => !LONE_SURROGATE.test(text), "must be well-formed Unicode text");

/**
 * The body of `POST /dev/inbound`. Unknown fields are rejected, so a typo
 * such as `providerMessageID` is reported instead of silently replaced by a
 * generated id (which would lose the de-duplication the caller asked for).
 */
export const DevInboundRequest = z.strictObject({
  from: Text(200),
  conversation: Text(200),
  body: Text(MAX_BODY_LENGTH),
  /** Absent (or null): a fresh id is made, so the message is never a duplicate. */
  providerMessageId: Text(200).nullish(),
});
export type DevInboundRequest = z.infer<typeof DevInboundRequest>;

export interface IssueView {
  path: string;
  message: string;
}

/** Validation issues as the API reports them: a dotted path ("" for the body itself). */
export function issuesOf(error: z.ZodError): IssueView[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/** The message ingress hands to the orchestrator; the orchestrator derives "dev:<address>". */
export function toInboundMessage(
  request: DevInboundRequest,
  made: { providerMessageId: string; receivedAt: string },
): InboundMessage {
  return {
    channelId: DEV_CHANNEL,
    providerMessageId: request.providerMessageId ?? made.providerMessageId,
    from: request.from,
    conversation: request.conversation,
    body: request.body,
    receivedAt: made.receivedAt,
  };
}

/**
 * The full conversation id of the dev channel: `dev:user1` as given, or the
 * bare `user1` with the channel's prefix added.
 */
export function devConversationId(conversation: string): string {
  const prefix = `${DEV_CHANNEL}:`;
  return conversation.startsWith(prefix) ? conversation : `${prefix}${conversation}`;
}
