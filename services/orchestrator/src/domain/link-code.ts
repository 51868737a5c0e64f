/*
 * Link codes (`link`, then `link <code>` from the address to link): how long
 * one lives, how many wrong tries void it, and where one stands. Pure; the
 * app layer makes, hashes and stores them (app/address-links.ts).
 */

export const LINK_CODE_DIGITS = 6;
export const LINK_CODE_TTL_MS = 10 * 60_000;
/** Wrong tries counted against one code before it is void. */
export const MAX_LINK_CODE_TRIES = 5;

/** What the state of a code depends on, as stored. */
export interface LinkCodeFacts {
  expiresAt: string;
  /** The messages whose wrong tries were counted against it. */
  wrongTries: readonly string[];
  /** The message that linked an address with it, if any. */
  usedBy: string | null;
}

/** "live": message `key` may link with it (it used it already, or nobody has). */
export type LinkCodeState = "live" | "expired" | "void" | "used";

export function linkCodeState(code: LinkCodeFacts, now: number, key: string): LinkCodeState {
  if (code.usedBy !== null && code.usedBy !== key) return "used";
  if (code.usedBy === key) return "live"; // this message linked with it before a crash: finish
  if (Date.parse(code.expiresAt) <= now) return "expired";
  if (code.wrongTries.length >= MAX_LINK_CODE_TRIES) return "void";
  return "live";
}
