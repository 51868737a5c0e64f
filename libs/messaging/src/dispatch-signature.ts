import { createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";
import type { ExecutionDispatch, UnsignedDispatch } from "@textops/contracts";

/**
 * HMAC-SHA256 under the shared DISPATCH_SECRET over the dispatch's RFC 8785
 * canonical JSON (keys sorted, numbers in one form), so the signature does
 * not depend on how a store or a broker ordered the keys on the way.
 */
export function signDispatch(dispatch: UnsignedDispatch, secret: string): ExecutionDispatch {
  return { ...dispatch, signature: hmac(dispatch, secret) };
}

/** Whether the orchestrator holding `secret` signed exactly this dispatch. */
export function dispatchSignatureValid(dispatch: ExecutionDispatch, secret: string): boolean {
  const { signature, ...unsigned } = dispatch;
  const expected = Buffer.from(hmac(unsigned, secret), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmac(dispatch: UnsignedDispatch, secret: string): string {
  const text = canonicalize(dispatch);
  if (text === undefined) throw new Error("a dispatch has no JSON form");
  return createHmac("sha256", secret).update(text, "utf8").digest("hex");
}
