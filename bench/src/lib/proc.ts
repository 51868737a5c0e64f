// What /proc says about processes: CPU time, memory, and who listens on a port.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) of a process in ms, or null when it is gone. */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export interface MemoryMb {
  rss: number;
  peak: number;
}

/** Resident memory now and at its peak, in MB. */
export function memoryMb(pid: number | undefined): MemoryMb | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
    return {
      rss: Math.round(kb("VmRSS") / 102.4) / 10,
      peak: Math.round(kb("VmHWM") / 102.4) / 10,
    };
  } catch {
    return null;
  }
}

/** Socket inodes listening on a local TCP port. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const row of text.split("\n").slice(1)) {
      const cols = row.trim().split(/\s+/);
      const localPort = Number.parseInt(cols[1]?.split(":")[1] ?? "", 16);
      if (localPort === port && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/**
 * Pids of the processes listening on a local TCP port (read from /proc, only
 * looked at): the servers the bench talks to, not other instances of them.
 */
export function pidsListeningOn(port: number): number[] {
  const inodes = listeningInodes(port);
  const pids: number[] = [];
  if (inodes.size === 0) return pids;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? "")) {
          pids.push(Number(entry));
          break;
        }
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/** Pids by label: `{ orchestrator: [pid], database: [pid, …] }`. */
export type PidGroups = Record<string, number[]>;

/** CPU of the bench itself, and CPU ms of each group. */
export interface CpuSnapshot {
  bench: NodeJS.CpuUsage;
  groups: Record<string, number>;
}

/** CPU ms of every process in `groups` and of the bench itself. */
export function cpuSnapshot(groups: PidGroups): CpuSnapshot {
  const snapshot: CpuSnapshot = { bench: process.cpuUsage(), groups: {} };
  for (const [label, pids] of Object.entries(groups)) {
    snapshot.groups[label] = pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
  }
  return snapshot;
}

/** CPU ms spent between two snapshots: the bench's first, then each group's. */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const b = before.bench;
  const a = after.bench;
  const spent: Record<string, number> = {
    bench: (a.user - b.user + a.system - b.system) / 1000,
  };
  for (const [key, ms] of Object.entries(after.groups)) {
    spent[key] = ms - (before.groups[key] ?? 0);
  }
  return spent;
}
