// HMAC is a deterministic function of its inputs, not I/O: the one node:* import domain/ allows.
// eslint-disable-next-line no-restricted-imports
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

/** Upper-case letters and digits without 0/O, 1/I/L: easy to read and type from a phone. */
export const CONFIRM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CONFIRM_CODE_LENGTH = 6;

/** Keeps these codes apart from anything else signed with the same secret. */
const PURPOSE = "textops.confirm-code.v1";

export interface ConfirmCodeInput {
  runId: string;
  /** The hash naming the run's job definition. */
  jobHash: string;
  parameters: unknown;
  approverId: string;
}

/**
 * The code `approverId` must repeat to approve this run of this definition
 * with these parameters: HMAC-SHA256 under `secret` over the canonical JSON
 * (RFC 8785) of them, as 6 characters of CONFIRM_CODE_ALPHABET. A code
 * forwarded to someone else, or for another run, does not match.
 */
export function confirmCodeFor(secret: string, input: ConfirmCodeInput): string {
  const text = canonicalize({ purpose: PURPOSE, ...input });
  if (text === undefined) throw new Error("confirm code input has no JSON form");
  const digest = createHmac("sha256", secret).update(text, "utf8").digest();
  // 64 bits into 6 base-31 digits: the bias is below 2^-34.
  let value = digest.readBigUInt64BE(0);
  const base = BigInt(CONFIRM_CODE_ALPHABET.length);
  let code = "";
  for (let i = 0; i < CONFIRM_CODE_LENGTH; i++) {
    code += CONFIRM_CODE_ALPHABET[Number(value % base)] ?? "";
    value /= base;
  }
  return code;
}

/** Whether two codes are the same, whatever their case, in time that does not depend on where they differ. */
export function codesMatch(a: string, b: string): boolean {
  return timingSafeEqual(digestOf(a), digestOf(b));
}

const digestOf = (code: string) => createHash("sha256").update(code.trim().toUpperCase()).digest();
