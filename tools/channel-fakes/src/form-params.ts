/**
 * A request's parameters as the client meant them: form bodies carry arrays
 * and objects as JSON strings (the Bot API allows it, Slack's WebClient does
 * it), so those are parsed; anything else stays as sent.
 */
export function parsedParams(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null) return {};
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      if (typeof value !== "string" || !/^[[{]/.test(value)) return [key, value];
      try {
        return [key, JSON.parse(value) as unknown];
      } catch {
        return [key, value];
      }
    }),
  );
}
