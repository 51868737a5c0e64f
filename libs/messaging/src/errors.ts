/**
 * A failure that will happen again however often the message is retried
 * (an invalid message, an unknown job): the message is dead-lettered with
 * this error's message as the reason. Any other error counts as transient.
 */
export class PermanentError extends Error {
  override readonly name = "PermanentError";
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A transient failure whose cause said when to try again (an HTTP 429 with
 * Retry-After): with delayed retries, the next attempt waits at least
 * `retryAfterMs`.
 */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
