import { InboundMessage } from "@textops/contracts";
import type { Logger } from "pino";

/**
 * The message a provider's request became, when the schema takes it; else
 * null and a warning naming `what` ("telegram update"). The request is
 * still acknowledged: the provider would retry a refusal forever.
 */
export function validatedInbound(
  message: InboundMessage,
  what: string,
  log: Logger,
): InboundMessage | null {
  const parsed = InboundMessage.safeParse(message);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  log.warn({ issues }, `${what} not taken: not a valid inbound message`);
  return null;
}
