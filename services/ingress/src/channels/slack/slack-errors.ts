import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from "@slack/web-api";
import { DeliveryDeferred, DeliveryRefused } from "../channel-sender.js";
import { withoutSecret } from "../without-secret.js";

/** Slack's errors that pass: tried again later. Any other error of Slack's will not change. */
const PASSING = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

/** Slack's answer to an update that changes nothing: the copy already says it. */
export function isUnchanged(error: unknown): boolean {
  return (
    error instanceof WebAPIPlatformError && /same|not_modified|unchanged/.test(error.data.error)
  );
}

/**
 * A Web API failure as the delivery consumer understands it: a 429 (with its
 * Retry-After), a network failure, a 5xx and Slack's passing errors are
 * tried again later; any other answer (channel_not_found, not_in_channel,
 * invalid_auth, account_inactive, a 4xx…) will not change, and the message
 * is refused. Anything else is returned as it is. The WebClient sends the
 * token in a header, never in a message; what Slack says is scrubbed anyway.
 */
export function deliveryErrorOf(error: unknown, token: string | undefined): unknown {
  if (error instanceof WebAPIRateLimitedError) {
    return new DeliveryDeferred(
      `Slack: rate limited, retry after ${error.retryAfter} s`,
      error.retryAfter * 1000,
    );
  }
  if (error instanceof WebAPIRequestError) {
    return new DeliveryDeferred(
      withoutSecret(`Slack unreachable: ${error.original.message}`, token),
    );
  }
  if (error instanceof WebAPIHTTPError) {
    const said = `Slack HTTP ${error.statusCode}`;
    return error.statusCode >= 500 ? new DeliveryDeferred(said) : new DeliveryRefused(said);
  }
  if (error instanceof WebAPIPlatformError) {
    const said = withoutSecret(`Slack: ${error.data.error}`, token);
    return PASSING.has(error.data.error) ? new DeliveryDeferred(said) : new DeliveryRefused(said);
  }
  return error;
}
