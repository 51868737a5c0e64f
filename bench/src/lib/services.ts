// The compiled services as child processes (as e2e/src/system.ts starts
// them), with what /proc says about them.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuMs, memoryMb, type MemoryMb } from "./proc.js";

/** Signs the dispatches the bench publishes itself; its orchestrators and workers share it. */
export const BENCH_DISPATCH_SECRET = "bench-dispatch-secret-0123456789";

export type ServiceName = "orchestrator" | "worker" | "ingress";

export interface ServiceProcess {
  name: string;
  pid: number | undefined;
  /** The last lines of its output. */
  tail: string[];
  /** Resolves when a line of output contains `text`; rejects if the process exits first. */
  waitForLine(text: string, timeoutMs?: number): Promise<void>;
  cpuMs(): number | null;
  memoryMb(): MemoryMb | null;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  readonly crashed: boolean;
}

export interface ServiceManagerOptions {
  root: string;
  amqpUrl: string;
  mongoUrl: string;
  defaultDb: string;
  cpuProfileDir: string | null;
}

export type ServiceManager = ReturnType<typeof serviceManager>;

/** Keeps the last lines of a process's output and tells waiters when a line contains their text. */
function outputWatcher() {
  const tail: string[] = [];
  let waiters: { text: string; resolve: () => void }[] = [];
  let partial = "";
  return {
    tail,
    onData: (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line) continue;
        tail.push(line.slice(0, 500));
        if (tail.length > 30) tail.shift();
        waiters = waiters.filter((w) => (line.includes(w.text) ? (w.resolve(), false) : true));
      }
    },
    wait: (text: string) => new Promise<void>((resolve) => waiters.push({ text, resolve })),
  };
}

/**
 * Starts and stops service processes for one bench run.
 * Every process gets MONGO_DB `defaultDb` unless told otherwise, so a service that
 * starts using MongoDB stays inside the bench's databases.
 */
export function serviceManager(options: ServiceManagerOptions) {
  const running = new Set<ServiceProcess>();
  let profiles = 0;

  function startProcess(
    name: string,
    service: ServiceName,
    env: Record<string, string>,
  ): ServiceProcess {
    const args: string[] = [];
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
          DISPATCH_SECRET: BENCH_DISPATCH_SECRET,
          LOG_LEVEL: "warn",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const output = outputWatcher();
    child.stdout.on("data", output.onData);
    child.stderr.on("data", output.onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const { tail } = output;
    let stopping = false;
    const proc: ServiceProcess = {
      name,
      pid: child.pid,
      tail,
      async waitForLine(text, timeoutMs = 30_000) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            output.wait(text),
            exited.then(({ code, signal }) => {
              throw new Error(
                `${name} exited (${signal ?? code}) before "${text}":\n${tail.join("\n")}`,
              );
            }),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const message = `${name}: no "${text}" within ${timeoutMs} ms:\n${tail.join("\n")}`;
                reject(new Error(message));
              }, timeoutMs);
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
      },
      cpuMs: () => cpuMs(child.pid),
      memoryMb: () => memoryMb(child.pid),
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
    /** One orchestrator on database `db`; returned once started (not yet proven to consume). */
    orchestrator(db: string, env: Record<string, string> = {}): ServiceProcess {
      return startProcess("orchestrator", "orchestrator", {
        MONGO_DB: db,
        ORCHESTRATOR_ID: "bench-orchestrator",
        ...env,
      });
    },
    /** A worker; resolves once it consumes worker.dispatch (its "worker started" log line). */
    async worker(id: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
      const proc = startProcess(id, "worker", { WORKER_ID: id, LOG_LEVEL: "info", ...env });
      await proc.waitForLine("worker started");
      return proc;
    },
    /** Ingress on `port`; resolves once GET /readyz answers 200. */
    async ingress(db: string, port: number, env: Record<string, string> = {}) {
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
          if (p.pid !== undefined) process.kill(p.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}

/** The pids of processes that have one. */
export function pidsOf(...procs: (ServiceProcess | null | undefined)[]): number[] {
  return procs.flatMap((p) => (p?.pid === undefined ? [] : [p.pid]));
}
