import type { HttpExecutorDefinition } from "@textops/contracts";
import { maskCredentials } from "@textops/messaging";
import { SIGNATURE_HEADER, signHttpBody, TIMESTAMP_HEADER } from "./http-signature.js";
import { readResponseBody } from "./http-response.js";
import {
  abortReason,
  RetryableJobError,
  type ExecutorContext,
  type ExecutorResult,
  type JobExecutor,
} from "./job-executor.js";

export interface HttpOptions {
  /** The HMAC key the receiver verifies the request with (see http-signature.ts). */
  secret: string;
  /** How long the receiver has to answer, its whole body included. */
  timeoutMs: number;
}

/** Statuses below 500 that still mean "try again later". */
const RETRYABLE_STATUSES = new Set([408, 429]);

/**
 * POSTs the run to the definition's URL, signed, and takes the answer's
 * status as the outcome: 2xx succeeds, 5xx (and 408, 429), a network error
 * or no answer in time fail retryably, anything else fails for good.
 * Redirects are not followed: a signed request goes where the catalog says.
 */
export function httpExecutor(
  definition: HttpExecutorDefinition,
  options: HttpOptions,
): JobExecutor {
  return async (ctx) => {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const url = new URL(definition.url);
    if (url.username !== "" || url.password !== "") {
      throw new Error("the job's url holds credentials; fetch refuses to send them");
    }
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    const body = requestBody(ctx);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: requestHeaders(ctx, body, options.secret),
        body,
        signal,
        redirect: "manual",
      });
    } catch (error) {
      if (ctx.signal.aborted) throw abortReason(ctx.signal);
      if (timeout.aborted) throw new RetryableJobError(noAnswer(options.timeoutMs));
      throw new RetryableJobError(`network error: ${networkError(error)}`);
    }
    const firstLine = await readResponseBody(response, ctx.output, ctx.log);
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    return verdict(response.status, firstLine);
  };
}

function requestBody(ctx: ExecutorContext): string {
  return JSON.stringify({
    runId: ctx.runId,
    attempt: ctx.attempt,
    job: ctx.jobKey,
    parameters: Object.fromEntries(ctx.parameters.map((p) => [p.name, p.value])),
    requestedBy: ctx.requestedBy,
    approvedBy: ctx.approvedBy,
  });
}

function requestHeaders(ctx: ExecutorContext, body: string, secret: string): Headers {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Headers({
    "content-type": "application/json",
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signHttpBody(secret, timestamp, body),
    "X-TextOps-Run-Id": ctx.runId,
    "X-TextOps-Attempt": String(ctx.attempt),
    // One effect per attempt, however often the request is delivered.
    "Idempotency-Key": `${ctx.runId}:${ctx.attempt}`,
  });
}

function verdict(status: number, firstLine: string): ExecutorResult {
  if (status >= 200 && status < 300) {
    return { summary: firstLine === "" ? `HTTP ${status}` : firstLine };
  }
  const message = firstLine === "" ? `HTTP ${status}` : `HTTP ${status}: ${firstLine}`;
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) throw new RetryableJobError(message);
  throw new Error(message);
}

function noAnswer(timeoutMs: number): string {
  return `no answer within ${timeoutMs / 1000} s`;
}

/** fetch says only "fetch failed"; the cause says what (`connect ECONNREFUSED 127.0.0.1:8080`). */
function networkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return maskCredentials(String(cause));
  // Connecting to several addresses fails with an AggregateError that has a code but no message.
  return maskCredentials(cause.message || (cause as NodeJS.ErrnoException).code || cause.name);
}
