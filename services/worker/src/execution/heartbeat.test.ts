import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { startHeartbeat } from "./heartbeat.js";

const log = pino({ level: "silent" });

describe(startHeartbeat.name, () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("beats once per interval until stopped, and never after", async () => {
    let beats = 0;
    const heartbeat = startHeartbeat({
      intervalMs: 100,
      beat: () => Promise.resolve(void beats++),
      log,
    });

    await vi.advanceTimersByTimeAsync(350);
    await heartbeat.stop();
    await vi.advanceTimersByTimeAsync(1000);

    expect(beats).toBe(3);
  });

  test("a failed beat does not stop the next ones", async () => {
    let beats = 0;
    const beat = () => {
      beats += 1;
      return beats === 1 ? Promise.reject(new Error("broker away")) : Promise.resolve();
    };
    const heartbeat = startHeartbeat({ intervalMs: 100, beat, log });

    await vi.advanceTimersByTimeAsync(250);
    await heartbeat.stop();

    expect(beats).toBe(2);
  });

  test("stop waits for a beat under way", async () => {
    let finishBeat = () => {};
    let finished = false;
    const beat = () =>
      new Promise<void>((resolve) => {
        finishBeat = () => {
          finished = true;
          resolve();
        };
      });
    const heartbeat = startHeartbeat({ intervalMs: 100, beat, log });
    await vi.advanceTimersByTimeAsync(100);

    const stopped = heartbeat.stop();
    finishBeat();
    await stopped;

    expect(finished).toBe(true);
  });
});
