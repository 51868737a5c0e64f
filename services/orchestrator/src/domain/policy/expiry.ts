import { parseDuration, type ApprovalPolicy } from "@textops/contracts";

/**
 * When a run asked for at `createdAtMs` expires unapproved, in epoch ms: its
 * policy's `expiresAfter`, else `defaultTtlSeconds` (APPROVAL_TTL_SECONDS).
 */
export function expiryOf(
  approval: ApprovalPolicy | undefined,
  defaultTtlSeconds: number,
  createdAtMs: number,
): number {
  const seconds =
    approval?.expiresAfter === undefined ? defaultTtlSeconds : parseDuration(approval.expiresAfter);
  return createdAtMs + seconds * 1000;
}

/**
 * When a run asked for at `createdAtMs` escalates if still unapproved, in
 * epoch ms; null when its policy does not escalate. A time at or after the
 * run's expiry (escalateAfter beyond the default TTL) never comes: the caller
 * compares it with expiryOf.
 */
export function escalationDueAt(
  approval: ApprovalPolicy | undefined,
  createdAtMs: number,
): number | null {
  if (approval?.escalateAfter === undefined || approval.escalateTo === undefined) return null;
  return createdAtMs + parseDuration(approval.escalateAfter) * 1000;
}
