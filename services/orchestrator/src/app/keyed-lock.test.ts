import { describe, expect, test } from "vitest";
import { KeyedLock } from "./keyed-lock.js";

/** A task that waits until released, noting when it starts and ends. */
function gated(log: string[], name: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const task = async () => {
    log.push(`${name} starts`);
    await released;
    log.push(`${name} ends`);
    return name;
  };
  return { task, release };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(KeyedLock.name, () => {
  test("tasks of one key run one after another, in order; other keys and no key do not wait", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a1 = gated(log, "a1");
    const a2 = gated(log, "a2");
    const b1 = gated(log, "b1");
    const free = gated(log, "free");

    const done = [
      lock.run("a", a1.task),
      lock.run("a", a2.task),
      lock.run("b", b1.task),
      lock.run(null, free.task),
    ];
    await settle();
    expect(log).toEqual(["free starts", "a1 starts", "b1 starts"]);
    a2.release();
    a1.release();
    b1.release();
    free.release();

    expect(await Promise.all(done)).toEqual(["a1", "a2", "b1", "free"]);
    expect(log.indexOf("a2 starts")).toBeGreaterThan(log.indexOf("a1 ends"));
  });

  test("a late task starts once all before it settled; nothing after it starts before it holds its key", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const before = gated(log, "before");
    const lookup = gated(log, "lookup");
    const after = gated(log, "after on a");
    const other = gated(log, "after on b");
    const free = gated(log, "after, no key");

    const first = lock.run("b", before.task);
    const late = lock.runLate(async (hold) => {
      await lookup.task();
      return hold("a", async () => {
        log.push("late holds a");
        await settle();
        log.push("late done");
        return "late";
      });
    });
    const rest = [lock.run("a", after.task), lock.run("b", other.task), lock.run(null, free.task)];
    await settle();
    expect(log).toEqual(["before starts"]);

    before.release();
    await settle();
    expect(log).toEqual(["before starts", "before ends", "lookup starts"]);

    lookup.release();
    await settle();
    after.release();
    other.release();
    free.release();
    expect(await Promise.all([first, late, ...rest])).toEqual([
      "before",
      "late",
      "after on a",
      "after on b",
      "after, no key",
    ]);
    // The others go once the late task has taken its key; the one on that key, after it.
    expect(log.indexOf("after, no key starts")).toBeGreaterThan(log.indexOf("lookup ends"));
    expect(log.indexOf("after on b starts")).toBeGreaterThan(log.indexOf("lookup ends"));
    expect(log.indexOf("after on a starts")).toBeGreaterThan(log.indexOf("late done"));
  });

  test("a late task that holds nothing, or fails, lets the rest go when it ends", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];

    const none = lock.runLate(() => Promise.resolve("none"));
    const failing = lock.runLate(() => Promise.reject(new Error("lookup failed")));
    const late = lock.runLate((hold) => hold("a", () => Promise.resolve("late")));
    const next = lock.run("a", () => {
      log.push("next");
      return Promise.resolve("next");
    });

    expect(await none).toBe("none");
    await expect(failing).rejects.toThrow("lookup failed");
    expect(await late).toBe("late");
    expect(await next).toBe("next");
    expect(log).toEqual(["next"]);
  });
});
