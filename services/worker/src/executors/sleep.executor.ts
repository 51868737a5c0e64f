import { setTimeout as delay } from "node:timers/promises";
import { parameter, type JobExecutor } from "./job-executor.js";

const MAX_SECONDS = 3600;

/** Sleeps `seconds` (default 1, fractions allowed, at most an hour). */
export const sleepExecutor: JobExecutor = async ({ parameters, signal }) => {
  const seconds = secondsFrom(parameter(parameters, "seconds"));
  await delay(seconds * 1000, undefined, { signal });
  return { summary: `Slept ${seconds} s` };
};

function secondsFrom(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const seconds = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
    throw new Error(`seconds must be a number from 0 to ${MAX_SECONDS}, got "${raw}"`);
  }
  return seconds;
}
