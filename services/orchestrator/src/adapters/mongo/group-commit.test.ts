import { describe, expect, test } from "vitest";
import { groupCommit } from "./group-commit.js";

/** A write whose batches the test sees and finishes when it wants. */
function controlledWrite() {
  const batches: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({
        items,
        finish: (error) => (error ? reject(error) : resolve(items.map((n) => `done ${n}`))),
      });
    });
  const nextBatch = async (count: number) => {
    while (batches.length < count) await new Promise((r) => setImmediate(r));
    return batches[count - 1]!;
  };
  return { write, nextBatch };
}

describe(groupCommit.name, () => {
  test("calls made in one turn of the event loop are written as one batch, each answered in order", async () => {
    const { write, nextBatch } = controlledWrite();
    const submit = groupCommit(write);
    const answers = Promise.all([submit(1), submit(2), submit(3)]);
    const first = await nextBatch(1);
    expect(first.items).toEqual([1, 2, 3]);
    first.finish();
    expect(await answers).toEqual(["done 1", "done 2", "done 3"]);
  });

  test("calls made while a batch is being written go together in the next one", async () => {
    const { write, nextBatch } = controlledWrite();
    const submit = groupCommit(write);
    const early = submit(1);
    const first = await nextBatch(1);
    const late = [submit(2), submit(3), submit(4)];
    first.finish();
    const second = await nextBatch(2);
    expect(second.items).toEqual([2, 3, 4]);
    second.finish();
    expect(await early).toBe("done 1");
    expect(await Promise.all(late)).toEqual(["done 2", "done 3", "done 4"]);
  });

  test("batches are no larger than the limit", async () => {
    const { write, nextBatch } = controlledWrite();
    const submit = groupCommit(write, 2);
    const answers = Promise.all([1, 2, 3, 4, 5].map((n) => submit(n)));
    const sizes: number[] = [];
    for (let i = 1; i <= 3; i += 1) {
      const batch = await nextBatch(i);
      sizes.push(batch.items.length);
      batch.finish();
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(await answers).toHaveLength(5);
  });

  test("a failed write fails the calls of its batch only", async () => {
    const { write, nextBatch } = controlledWrite();
    const submit = groupCommit(write);
    const doomed = submit(1);
    const first = await nextBatch(1);
    const later = submit(2);
    first.finish(new Error("database unreachable"));
    await expect(doomed).rejects.toThrow("database unreachable");
    const second = await nextBatch(2);
    second.finish();
    expect(await later).toBe("done 2");
  });
});
