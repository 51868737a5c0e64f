/** The outcome of reading one part of a command: a value, or why the text is not one. */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(reason: string): Result<T> => ({ ok: false, reason });

const WHITESPACE = /\s/;
const SHOWN_TOKEN_LENGTH = 40;

/**
 * Splits a message into words at runs of whitespace. Whitespace inside double quotes does not
 * split (`note="two words"` is one word); inside quotes a backslash takes the next character
 * with it, so `\"` does not close the quote. An unterminated quote runs to the end of the text.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  let escaped = false;
  for (const char of text) {
    if (quoted) {
      current += char;
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') quoted = false;
    } else if (WHITESPACE.test(char)) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      current += char;
      quoted = char === '"';
    }
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

/**
 * Reads the value part of `key=value`: a bare word without quotes, or one double-quoted string
 * in which `\"` is a quote and `\\` a backslash (any other backslash is kept as it is).
 */
export function readValue(raw: string): Result<string> {
  if (!raw.startsWith('"')) {
    return raw.includes('"') ? fail("has a quote inside an unquoted value") : ok(raw);
  }
  let value = "";
  for (let i = 1; i < raw.length; i++) {
    const char = raw.charAt(i);
    const next = raw.charAt(i + 1);
    if (char === '"') {
      return i === raw.length - 1 ? ok(value) : fail("has text after its closing quote");
    }
    if (char === "\\" && (next === '"' || next === "\\")) {
      value += next;
      i++;
    } else {
      value += char;
    }
  }
  return fail("has an unterminated quote");
}

/** Lower-cases A-Z only, so that no other character becomes an ASCII letter (U+212A K → k). */
export const asciiLower = (text: string): string =>
  text.replace(/[A-Z]/g, (char) => char.toLowerCase());

/** Upper-cases a-z only, so that no other character becomes ASCII letters (ß → SS). */
export const asciiUpper = (text: string): string =>
  text.replace(/[a-z]/g, (char) => char.toUpperCase());

/** A word as a reason quotes it, cut short so that a notice stays short. */
export function show(token: string): string {
  const chars = Array.from(token);
  const shown =
    chars.length > SHOWN_TOKEN_LENGTH ? `${chars.slice(0, SHOWN_TOKEN_LENGTH).join("")}…` : token;
  return `"${shown}"`;
}
