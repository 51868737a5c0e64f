/** A rate: `perInterval` messages every `intervalMs`, with bursts up to `burst`. */
export interface Rate {
  perInterval: number;
  intervalMs: number;
  burst?: number;
}

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket: `take()` resolves when a token is free, in call order, so
 * sends to one provider limit keep the pace the provider allows instead of
 * being refused with 429.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    rate: Rate,
    private readonly clock: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(rate.perInterval > 0) || !(rate.intervalMs > 0)) {
      throw new Error("a rate needs a positive count and interval");
    }
    this.capacity = rate.burst ?? rate.perInterval;
    this.perMs = rate.perInterval / rate.intervalMs;
    this.tokens = this.capacity;
    this.refilledAt = clock();
  }

  /** Waits for a token and takes it. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil((1 - this.tokens) / this.perMs));
    }
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.perMs);
    this.refilledAt = now;
  }
}

/** One bucket per key (a chat, a sending number), made on first use; idle ones are dropped. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, { bucket: TokenBucket; usedAt: number }>();

  constructor(
    private readonly rate: Rate,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): Promise<void> {
    let entry = this.buckets.get(key);
    if (!entry) {
      if (this.buckets.size >= this.maxKeys) this.dropOldest();
      entry = { bucket: new TokenBucket(this.rate, this.clock), usedAt: this.clock() };
      this.buckets.set(key, entry);
    }
    entry.usedAt = this.clock();
    return entry.bucket.take();
  }

  private dropOldest(): void {
    const oldest = [...this.buckets].sort((a, b) => a[1].usedAt - b[1].usedAt)[0];
    if (oldest) this.buckets.delete(oldest[0]);
  }
}
