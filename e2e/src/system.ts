import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";

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

async function freePort(): Promise<number> {
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
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  output: string[];
}

/** The compiled services as child processes: ingress, one orchestrator, N workers. */
export async function startSystem(options: SystemOptions) {
  buildOnce();
  const port = await freePort();
  const common = {
    AMQP_URL: options.amqpUrl,
    MONGO_URL: options.mongoUrl,
    MONGO_DB: options.mongoDb,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
  };
  const processes: ServiceProcess[] = [];
  const start = (name: string, service: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, [`${root}services/${service}/dist/main.js`], {
      cwd: root,
      env: { ...process.env, ...common, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    processes.push({ name, child, output });
  };
  start("orchestrator", "orchestrator", { SWEEP_INTERVAL_SECONDS: "1" });
  for (let i = 1; i <= options.workers; i += 1) {
    start(`worker-${i}`, "worker", { WORKER_ID: `worker-${i}`, DEMO_DELAY_MS: "50" });
  }
  start("ingress", "ingress", { PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  await vi.waitFor(
    async () => {
      const response = await fetch(`${baseUrl}/readyz`);
      if (!response.ok) throw new Error(`ingress not ready: ${response.status}`);
    },
    { timeout: 30_000, interval: 200 },
  );
  return {
    baseUrl,
    processes,
    /** Sends SIGTERM to every process and waits for all to exit. */
    async stop() {
      await Promise.all(processes.map(({ child }) => stopProcess(child)));
    },
  };
}

export type System = Awaited<ReturnType<typeof startSystem>>;

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
