import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";

/** The secret the system under test signs and verifies dispatches with. */
export const E2E_DISPATCH_SECRET = "e2e-dispatch-secret-0123456789";

const root = fileURLToPath(new URL("../../", import.meta.url));
let built: boolean | undefined;

/** Compiles every package once per test file (incremental, so quick when up to date). */
function buildOnce() {
  if (built) return;
  const result = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-b"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
  built = true;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SystemOptions {
  amqpUrl: string;
  mongoUrl: string;
  mongoDb: string;
  workers: number;
  /** The orchestrator's catalog; the shipped config/jobs.yaml when not given. */
  jobsFile?: string;
  /** When given, one more worker, for the pool "deployers" of the shipped catalog, running these executor kinds. */
  deployers?: string;
  /**
   * The directory of people (closed mode), for the orchestrator and ingress;
   * ingress then also gets DEV_CHANNEL=open, so POST /dev/inbound stays on.
   * Without it TextOps runs open.
   */
  usersFile?: string;
  /** How often the orchestrator sweeps for expiry, escalation and timeouts; 1 s when not given. */
  sweepIntervalSeconds?: number;
  /** More settings for ingress (a channel's credentials and provider URL, say). */
  ingressEnv?: Record<string, string>;
  /** Every service's LOG_LEVEL; TEST_LOG_LEVEL, else warn, when not given. */
  logLevel?: string;
}

export type ServiceName = "ingress" | "orchestrator" | "worker";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr, in chunks. */
  output: string[];
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
}

/**
 * Starts a compiled service (`services/<service>/dist/main.js`) as a child
 * process with the given environment on top of this one's.
 */
export function startService(
  service: ServiceName,
  env: Record<string, string>,
  name: string = service,
): ServiceProcess {
  buildOnce();
  const child = spawn(process.execPath, [`${root}services/${service}/dist/main.js`], {
    cwd: root,
    env: { ...process.env, DISPATCH_SECRET: E2E_DISPATCH_SECRET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { name, child, output, exited };
}

/** Waits until the process has written something matching `pattern`; fails if it exits first. */
export function waitForOutput(
  service: ServiceProcess,
  pattern: RegExp,
  timeout = 15_000,
): Promise<string> {
  return vi.waitFor(
    () => {
      const text = service.output.join("");
      const found = pattern.exec(text);
      if (found) return found[0];
      const { exitCode, signalCode } = service.child;
      if (exitCode !== null || signalCode !== null) {
        throw new Error(`${service.name} exited (${exitCode ?? signalCode}) before ${pattern}`);
      }
      throw new Error(`${service.name} has not written ${pattern} yet`);
    },
    { timeout, interval: 50 },
  );
}

/** Sends SIGTERM and waits for the exit; SIGKILL after 15 s. */
export async function terminate(service: ServiceProcess): Promise<Exit> {
  const { child } = service;
  if (child.exitCode === null && child.signalCode === null) {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.kill("SIGTERM");
    await service.exited.finally(() => clearTimeout(timer));
  }
  return service.exited;
}

/** The compiled services as child processes: ingress, one orchestrator, N workers. */
export async function startSystem(options: SystemOptions) {
  const port = await freePort();
  const common = {
    AMQP_URL: options.amqpUrl,
    MONGO_URL: options.mongoUrl,
    MONGO_DB: options.mongoDb,
    DISPATCH_SECRET: E2E_DISPATCH_SECRET,
    LOG_LEVEL: options.logLevel ?? process.env.TEST_LOG_LEVEL ?? "warn",
  };
  const processes: ServiceProcess[] = [];
  const start = (name: string, service: ServiceName, env: Record<string, string>) => {
    const started = startService(service, { ...common, ...env }, name);
    processes.push(started);
    return started;
  };
  // Closed mode: both read the directory; ingress keeps POST /dev/inbound on only with DEV_CHANNEL=open.
  const directory: Record<string, string> =
    options.usersFile === undefined ? {} : { USERS_FILE: options.usersFile };
  const devChannel: Record<string, string> =
    options.usersFile === undefined ? {} : { DEV_CHANNEL: "open" };
  const orchestratorEnv: Record<string, string> = {
    SWEEP_INTERVAL_SECONDS: String(options.sweepIntervalSeconds ?? 1),
    ...(options.jobsFile === undefined ? {} : { JOBS_FILE: options.jobsFile }),
    ...directory,
  };
  start("orchestrator", "orchestrator", orchestratorEnv);
  for (let i = 1; i <= options.workers; i += 1) {
    start(`worker-${i}`, "worker", { WORKER_ID: `worker-${i}`, DEMO_DELAY_MS: "50" });
  }
  if (options.deployers) {
    const pool = { WORKER_POOLS: "deployers", WORKER_EXECUTORS: options.deployers };
    start("worker-deployers", "worker", { WORKER_ID: "worker-deployers", ...pool });
  }
  start("ingress", "ingress", {
    PORT: String(port),
    ...directory,
    ...devChannel,
    ...options.ingressEnv,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await vi.waitFor(
    async () => {
      const response = await fetch(`${baseUrl}/readyz`);
      if (!response.ok) throw new Error(`ingress not ready: ${response.status}`);
    },
    { timeout: 30_000, interval: 200 },
  );
  const byName = (name: string): ServiceProcess => {
    const found = processes.find((p) => p.name === name);
    if (!found) throw new Error(`no process named ${name}`);
    return found;
  };
  let orchestrators = 1;
  return {
    baseUrl,
    processes,
    /** The process started under this name (`ingress`, `orchestrator`, `worker-1`, …). */
    process: byName,
    /** Sends SIGTERM to one process and waits for its exit. */
    terminate: (name: string) => terminate(byName(name)),
    /** One more worker under this name, with these settings on top of the common ones. */
    startWorker(name: string, env: Record<string, string> = {}): ServiceProcess {
      return start(name, "worker", { WORKER_ID: name, ...env });
    },
    /** One more orchestrator (`orchestrator-2`, …): a standby while the first consumes. */
    startOrchestrator(env: Record<string, string> = {}): ServiceProcess {
      orchestrators += 1;
      return start(`orchestrator-${orchestrators}`, "orchestrator", { ...orchestratorEnv, ...env });
    },
    /** Sends SIGTERM to every process and waits for all to exit. */
    async stop() {
      await Promise.all(processes.map((p) => terminate(p)));
    },
  };
}

export type System = Awaited<ReturnType<typeof startSystem>>;
