import { readdir, readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";

const POLL_MS = 50;
/** SIGKILL cannot be caught; a process still there this long after it is stuck in the kernel. */
const AFTER_KILL_MS = 5_000;

/** How a process group came to an end. `survived`: something outlived SIGKILL (stuck in the kernel). */
export type GroupEnding = "had-ended" | "terminated" | "killed" | "survived";

/**
 * Ends every process of the group `pgid`: SIGTERM, then SIGKILL once
 * `graceMs` passed if any still runs. Resolves once none runs.
 */
export async function endProcessGroup(pgid: number, graceMs: number): Promise<GroupEnding> {
  if (!(await groupRuns(pgid))) return "had-ended";
  signalGroup(pgid, "SIGTERM");
  if (await groupEndsWithin(pgid, graceMs)) return "terminated";
  signalGroup(pgid, "SIGKILL");
  return (await groupEndsWithin(pgid, AFTER_KILL_MS)) ? "killed" : "survived";
}

async function groupEndsWithin(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await groupRuns(pgid)) {
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

/**
 * Whether a process of the group still runs. A zombie does not: it has
 * ended, and only waits for its parent (often init, once the job's own
 * process is gone) to collect it, which some inits do late or never.
 */
async function groupRuns(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== "linux") return true;
  return (await runningMemberOnLinux(pgid)) ?? true;
}

/** From /proc: whether a process of the group is in any state but zombie; undefined when /proc cannot tell. */
async function runningMemberOnLinux(pgid: number): Promise<boolean | undefined> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return undefined;
  }
  const pids = entries.filter((entry) => /^\d+$/.test(entry));
  const states = await Promise.all(pids.map((pid) => groupAndState(pid)));
  return states.some((s) => s !== undefined && s.pgrp === pgid && s.state !== "Z");
}

/** `/proc/<pid>/stat` is `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses. */
async function groupAndState(pid: string): Promise<{ pgrp: number; state: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return state === undefined || pgrp === undefined ? undefined : { pgrp: Number(pgrp), state };
  } catch {
    return undefined; // it ended while we looked
  }
}

/** Sends `signal` (0: none, only look) to the group; false when the group has no process left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ESRCH") return false;
    if (code === "EPERM") return true; // there, but not ours to signal
    throw error;
  }
}
