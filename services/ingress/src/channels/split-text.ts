const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Where to cut `text` so the first part has at most `limit` characters, and how much the cut drops. */
function cutOf(text: string, limit: number): { at: number; skip: number } {
  const window = text.slice(0, limit + 1);
  const line = window.lastIndexOf("\n", limit);
  const space = Math.max(window.lastIndexOf(" ", limit), window.lastIndexOf("\t", limit));
  // A break in the first half would leave a short part: rather cut a word there.
  if (line >= limit / 2) return { at: line, skip: 1 };
  if (space >= limit / 2) return { at: space, skip: 1 };
  if (line > 0) return { at: line, skip: 1 };
  if (space > 0) return { at: space, skip: 1 };
  // One long word: cut it, but never between the two halves of a character.
  const at = isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return { at, skip: 0 };
}

/**
 * Splits a text into parts of at most `limit` characters, cutting at a line
 * break, else between words, else inside a word. Each part is trimmed (as
 * Telegram and Slack trim a message's text); blank parts, which they refuse,
 * are left out.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new Error("a part needs room for at least two characters");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { at, skip } = cutOf(rest, limit);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + skip);
  }
  parts.push(rest);
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

/** A text cut to `limit` characters, with an ellipsis when cut (an edit cannot add messages). */
export function clipped(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
