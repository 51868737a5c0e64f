/** How often an address nobody in the directory holds is answered at all. */
export const UNKNOWN_SENDER_WINDOW_MS = 10 * 60_000;
const MAX_TRACKED = 10_000;

/**
 * Rate-limits the refusal sent to addresses the directory does not know: one
 * answer per address per window, so repeated tries get silence. In memory:
 * a failover forgets, which only lets one more refusal through.
 */
export class UnknownSenders {
  private readonly lastAnswered = new Map<string, number>();

  constructor(private readonly windowMs = UNKNOWN_SENDER_WINDOW_MS) {}

  /** Whether to answer `address` now; counts the answer if so. */
  shouldAnswer(address: string, now: number): boolean {
    const last = this.lastAnswered.get(address);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.lastAnswered.delete(address);
    this.lastAnswered.set(address, now);
    if (this.lastAnswered.size > MAX_TRACKED) {
      const oldest = this.lastAnswered.keys().next().value;
      if (oldest !== undefined) this.lastAnswered.delete(oldest);
    }
    return true;
  }
}
