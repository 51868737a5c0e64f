/**
 * Group commit: calls made while a batch is being written wait and are written
 * together as the next batch, so under load many messages share one round
 * trip, and a lone call waits only for the current turn of the event loop.
 * `write` answers each item in order; an error it throws fails its whole batch.
 */
export function groupCommit<I, R>(
  write: (items: I[]) => Promise<R[]>,
  maxBatch = 128,
): (item: I) => Promise<R> {
  interface Waiting {
    item: I;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let draining = false;

  async function drain() {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const results = await write(batch.map((w) => w.item));
        if (results.length !== batch.length) {
          throw new Error(`group commit: ${results.length} answers for ${batch.length} items`);
        }
        batch.forEach((w, i) => w.resolve(results[i] as R));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    draining = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (draining) return;
      draining = true;
      // Calls made in this turn of the event loop join the first batch.
      setImmediate(() => void drain());
    });
}
