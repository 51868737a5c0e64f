/** The longest body Twilio's API takes for one message. */
export const MAX_SMS_LENGTH = 1600;

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);

/** Where to cut `text` (longer than `max`): after its last space within `max`, else hard at `max`. */
function cutAt(text: string, max: number): number {
  for (let i = max; i > 0; i--) if (isSpace(text[i])) return i;
  // One word longer than a message: cut it, but never between a surrogate pair's halves.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/**
 * A text as the parts it is sent in, each at most `max` characters, split
 * on word boundaries (the spaces at a split are dropped); a word longer
 * than `max` is cut hard. A text that fits is one part, unchanged.
 */
export function splitSms(text: string, max = MAX_SMS_LENGTH): string[] {
  if (!(max >= 2)) throw new Error("a part holds at least 2 characters");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutAt(rest, max);
    const part = rest.slice(0, cut).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts.length > 0 ? parts : [text.slice(0, max)];
}
