// The compiled services as child processes (as e2e/src/system.ts starts
// them), plus what /proc says about them: CPU time and memory.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) of a process in ms, or null when it is gone. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident memory now and at its peak, in MB. */
export function memoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
    return {
      rss: Math.round(kb("VmRSS") / 102.4) / 10,
      peak: Math.round(kb("VmHWM") / 102.4) / 10,
    };
  } catch {
    return null;
  }
}

/**
 * Pids of the processes listening on a local TCP port (read from /proc, only
 * looked at): the servers the bench talks to, not other instances of them.
 */
export function pidsListeningOn(port) {
  const inodes = new Set();
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
      if (localPort === port && cols[3] === "0A") inodes.add(cols[9]);
    }
  }
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || inodes.size === 0) continue;
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

/** CPU ms of every process in `groups` ({ label: pids }) and of the bench itself. */
export function cpuSnapshot(groups) {
  const snapshot = { bench: process.cpuUsage() };
  for (const [label, pids] of Object.entries(groups)) {
    snapshot[label] = pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
  }
  return snapshot;
}

/** CPU ms spent between two snapshots, per group. */
export function cpuSpent(before, after) {
  const spent = {};
  for (const key of Object.keys(after)) {
    if (key === "bench") {
      const b = before.bench;
      const a = after.bench;
      spent.bench = (a.user - b.user + a.system - b.system) / 1000;
    } else {
      spent[key] = after[key] - before[key];
    }
  }
  return spent;
}

/**
 * Starts and stops service processes for one bench run.
 * Every process gets MONGO_DB `defaultDb` unless told otherwise, so a service that
 * starts using MongoDB stays inside the bench's databases.
 * @param {{ root: string, amqpUrl: string, mongoUrl: string, defaultDb: string, cpuProfileDir: string | null }} options
 */
export function serviceManager(options) {
  /** @type {Set<ReturnType<typeof startProcess>>} */
  const running = new Set();
  let profiles = 0;

  function startProcess(name, service, env) {
    const args = [];
    if (options.cpuProfileDir) {
      profiles += 1;
      args.push(
        "--cpu-prof",
        `--cpu-prof-dir=${options.cpuProfileDir}`,
        `--cpu-prof-name=${String(profiles).padStart(2, "0")}-${name}.cpuprofile`,
      );
    }
    const child = spawn(
      process.execPath,
      [...args, join(options.root, "services", service, "dist/main.js")],
      {
        cwd: options.root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AMQP_URL: options.amqpUrl,
          MONGO_URL: options.mongoUrl,
          MONGO_DB: options.defaultDb,
          LOG_LEVEL: "warn",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    /** @type {string[]} */
    const tail = [];
    /** @type {{ text: string, resolve: () => void }[]} */
    let lineWaiters = [];
    let partial = "";
    const onData = (chunk) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line) continue;
        tail.push(line.slice(0, 500));
        if (tail.length > 30) tail.shift();
        lineWaiters = lineWaiters.filter((w) =>
          line.includes(w.text) ? (w.resolve(), false) : true,
        );
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    let stopping = false;
    const proc = {
      name,
      pid: child.pid,
      tail,
      exited,
      /** Resolves when a line of output contains `text`; rejects if the process exits first. */
      async waitForLine(text, timeoutMs = 30_000) {
        let timer;
        try {
          await Promise.race([
            new Promise((resolve) => lineWaiters.push({ text, resolve })),
            exited.then(({ code, signal }) => {
              throw new Error(
                `${name} exited (${signal ?? code}) before "${text}":\n${tail.join("\n")}`,
              );
            }),
            new Promise((_, reject) => {
              timer = setTimeout(
                () =>
                  reject(
                    new Error(`${name}: no "${text}" within ${timeoutMs} ms:\n${tail.join("\n")}`),
                  ),
                timeoutMs,
              );
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
      },
      cpuMs: () => cpuMs(child.pid),
      memoryMb: () => memoryMb(child.pid),
      /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
      async stop(graceMs = 15_000) {
        running.delete(proc);
        if (child.exitCode !== null || child.signalCode !== null) return;
        stopping = true;
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.kill("SIGTERM");
        await exited;
        clearTimeout(timer);
      },
      get crashed() {
        return !stopping && (child.exitCode !== null || child.signalCode !== null);
      },
    };
    running.add(proc);
    return proc;
  }

  return {
    startProcess,
    /** One orchestrator on database `db`; resolves once started (not yet proven to consume). */
    orchestrator(db, env = {}) {
      return startProcess("orchestrator", "orchestrator", {
        MONGO_DB: db,
        ORCHESTRATOR_ID: "bench-orchestrator",
        ...env,
      });
    },
    /** A worker; resolves once it consumes worker.dispatch (its "worker started" log line). */
    async worker(id, env = {}) {
      const proc = startProcess(id, "worker", { WORKER_ID: id, LOG_LEVEL: "info", ...env });
      await proc.waitForLine("worker started");
      return proc;
    },
    /** Ingress on `port`; resolves once GET /readyz answers 200. */
    async ingress(db, port, env = {}) {
      const proc = startProcess("ingress", "ingress", {
        MONGO_DB: db,
        PORT: String(port),
        HOST: "127.0.0.1",
        ...env,
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (proc.crashed) throw new Error(`ingress exited:\n${proc.tail.join("\n")}`);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          if (response.ok) return proc;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`ingress not ready:\n${proc.tail.join("\n")}`);
        await sleep(100);
      }
    },
    /** Stops every process still running. */
    async stopAll() {
      await Promise.all([...running].map((p) => p.stop()));
    },
    /** Kills everything at once (on an interrupted run). */
    killAll() {
      for (const p of running) {
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}
