/** The text with every occurrence of `secret` replaced by `shown`; unchanged when there is no secret. */
export function withoutSecret(
  text: string,
  secret: string | undefined,
  shown = "[bot token]",
): string {
  return secret ? text.replaceAll(secret, shown) : text;
}
