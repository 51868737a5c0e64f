import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { retryWithBackoff } from "./retry.js";

interface LogLine {
  msg: string;
  retryInSeconds?: number;
  err?: string;
}

/** A logger that keeps its lines, to check what a waiting service says. */
function recordingLogger() {
  const lines: LogLine[] = [];
  const log = pino(
    { level: "info" },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { log, lines };
}

const failingTimes = (n: number) => {
  let calls = 0;
  return () => {
    calls += 1;
    return calls <= n ? Promise.reject(new Error(`refused ${calls}`)) : Promise.resolve(calls);
  };
};

describe(retryWithBackoff.name, () => {
  test("retries with doubling waits, saying what it waits for, until the attempt succeeds", async () => {
    const { log, lines } = recordingLogger();

    const value = await retryWithBackoff(failingTimes(3), {
      what: "MongoDB at mongodb://db:27017/",
      log,
      minDelayMs: 5,
      maxDelayMs: 15,
    });

    expect(value).toBe(4);
    expect(lines.map((l) => [l.msg, l.err, l.retryInSeconds])).toEqual([
      ["waiting for MongoDB at mongodb://db:27017/; retrying", "refused 1", 0.005],
      ["waiting for MongoDB at mongodb://db:27017/; retrying", "refused 2", 0.01],
      ["waiting for MongoDB at mongodb://db:27017/; retrying", "refused 3", 0.015],
      ["MongoDB at mongodb://db:27017/ is available", undefined, undefined],
    ]);
  });

  test("says nothing when the first attempt succeeds", async () => {
    const { log, lines } = recordingLogger();

    expect(await retryWithBackoff(failingTimes(0), { what: "x", log })).toBe(1);
    expect(lines).toEqual([]);
  });

  test("stops waiting when its signal is aborted", async () => {
    const { log } = recordingLogger();
    const stopping = new AbortController();
    const waiting = retryWithBackoff(() => Promise.reject(new Error("down")), {
      what: "x",
      log,
      signal: stopping.signal,
      minDelayMs: 60_000,
    });

    stopping.abort(new Error("SIGTERM"));

    await expect(waiting).rejects.toThrow("SIGTERM");
  });
});
