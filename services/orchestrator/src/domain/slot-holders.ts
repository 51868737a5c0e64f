/*
 * The holders of one job's slots, as both JobSlots adapters change them: a
 * list decided here and written by a compare-and-set on the job's document,
 * so the list can never grow past the limit whoever writes at once.
 */

/** Whether a slot of the job is held for the run now. */
export type SlotOutcome = "held" | "full";

/** A run holding a slot, and the version of the run it was last asked for at. */
export interface SlotHolder {
  runId: string;
  /** When the slot was last asked for. */
  askedAt: string;
  /**
   * The version of the run read by whoever last asked. A release after a
   * fence at version v (see slot-rules.ts) takes only holdings asked for at
   * v or before: a later ask comes from a decision that can still commit.
   */
  forVersion: number;
}

/** An ask for a slot: the run, the version it was read at, and when. */
export interface SlotClaim {
  runId: string;
  forVersion: number;
  at: string;
}

/** What an ask does: its outcome, and the holders to write (null: nothing to write). */
export interface ClaimResult {
  outcome: SlotOutcome;
  holders: SlotHolder[] | null;
}

/** A run asking again keeps its slot (idempotent); a new one gets one if fewer than `limit` are held. */
export function claimSlot(
  holders: readonly SlotHolder[],
  claim: SlotClaim,
  limit: number,
): ClaimResult {
  const mine = holders.find((h) => h.runId === claim.runId);
  if (mine) {
    if (mine.forVersion >= claim.forVersion) return { outcome: "held", holders: null };
    const renewed = { ...mine, askedAt: claim.at, forVersion: claim.forVersion };
    return { outcome: "held", holders: holders.map((h) => (h === mine ? renewed : h)) };
  }
  if (holders.length >= limit) return { outcome: "full", holders: null };
  const added = { runId: claim.runId, askedAt: claim.at, forVersion: claim.forVersion };
  return { outcome: "held", holders: [...holders, added] };
}

/**
 * The holders without the run's slot, or null when there is nothing to
 * release: it holds none, or (given `fencedAt`) holds one asked for after it.
 */
export function releaseSlot(
  holders: readonly SlotHolder[],
  runId: string,
  fencedAt?: number,
): SlotHolder[] | null {
  const mine = holders.find((h) => h.runId === runId);
  if (!mine || (fencedAt !== undefined && mine.forVersion > fencedAt)) return null;
  return holders.filter((h) => h !== mine);
}
