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
