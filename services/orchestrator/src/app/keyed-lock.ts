/** Runs `task` under the lock of `key`, taken now: what is submitted after it on that key waits for it. */
export type Hold = <T>(key: string, task: () => Promise<T>) => Promise<T>;

/**
 * Runs tasks one after another per key, in the order they were submitted, so
 * two messages about one run are applied in the order the queue gave them.
 *
 * A task whose key is known only after a lookup (a bare `yes` finds its run
 * first) is submitted with `runLate`: it starts once everything submitted
 * before it has settled, so its lookup sees their effects; until it has taken
 * its key (`hold`) or finished, everything submitted after it waits, so
 * nothing overtakes it. Such tasks are rare, and the wait is one lookup.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Every task submitted and not yet settled: a late task waits for them first. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** While a late task looks for its key: what was submitted since, in order. */
  private waiting: (() => void)[] | null = null;

  /** `key` null: no order to keep with any other task, but none overtakes a late one either. */
  run<T>(key: string | null, task: () => Promise<T>): Promise<T> {
    const waiting = this.waiting;
    if (waiting !== null) return this.afterGate(waiting, () => this.run(key, task));
    return this.track(key === null ? task() : this.chain(key, task));
  }

  runLate<T>(task: (hold: Hold) => Promise<T>): Promise<T> {
    const waiting = this.waiting;
    if (waiting !== null) return this.afterGate(waiting, () => this.runLate(task));
    const earlier = Promise.allSettled([...this.inFlight]);
    const gate: (() => void)[] = [];
    this.waiting = gate;
    const open = () => {
      if (this.waiting !== gate) return;
      this.waiting = null;
      // Submitted again in their order, synchronously: a late one among them closes a gate of its own.
      for (const submit of gate) submit();
    };
    const hold: Hold = (key, inner) => {
      const held = this.chain(key, inner);
      open();
      return held;
    };
    return this.track(earlier.then(() => task(hold)).finally(open));
  }

  private chain<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /**
   * Not tracked while it waits: it cannot start before the gate opens, and
   * once it does, it is tracked as it is submitted again, before any late
   * task behind it is (a late task waiting for itself would never start).
   */
  private afterGate<T>(gate: (() => void)[], submit: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      gate.push(() => {
        submit().then(resolve, reject);
      });
    });
  }

  private track<T>(result: Promise<T>): Promise<T> {
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return result;
  }
}
