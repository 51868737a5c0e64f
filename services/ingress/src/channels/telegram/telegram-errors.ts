import { GrammyError, HttpError } from "grammy";
import { DeliveryDeferred, DeliveryRefused } from "../channel-sender.js";
import { withoutSecret } from "../without-secret.js";

/** Telegram's answer to an edit that changes nothing: the copy already says it. */
export function isNotModified(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    error.description.includes("message is not modified")
  );
}

/**
 * A Bot API failure as the delivery consumer understands it: a 429 (with its
 * retry_after), a 5xx or a network failure is tried again later; any other
 * answer (403: the bot was blocked or removed; 400: a bad request) will not
 * change, and the message is refused. Anything else is returned as it is.
 * No message made here holds the token: grammY keeps the URL out of its own
 * (sensitiveLogs is off), and what Telegram says is scrubbed anyway.
 */
export function deliveryErrorOf(error: unknown, token: string): unknown {
  if (error instanceof GrammyError) {
    const said = withoutSecret(`Telegram ${error.error_code}: ${error.description}`, token);
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after;
      return new DeliveryDeferred(said, seconds === undefined ? undefined : seconds * 1000);
    }
    if (error.error_code >= 500) return new DeliveryDeferred(said);
    return new DeliveryRefused(said);
  }
  if (error instanceof HttpError) {
    // error.error is the fetch failure, whose message holds the URL with the token: left out.
    return new DeliveryDeferred(withoutSecret(`Telegram unreachable: ${error.message}`, token));
  }
  return error;
}
