#!/usr/bin/env node
// `npm start`: the whole TextOps system on this machine, without Docker.
// Starts RabbitMQ and FerretDB (unless AMQP_URL and MONGO_URL are given),
// builds what changed, then runs ingress, the orchestrator, two workers of the
// default pool and one of the pool "deployers", with their logs interleaved, one colour per service. A service that dies is
// started again, with backoff, as compose's `restart: unless-stopped` does
// (see supervisor.mjs); only Ctrl-C (or SIGTERM) stops them all.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { prettyFactory } from "pino-pretty";
import { describeExit, formatDuration, nextRestart } from "./supervisor.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = process.env.PORT ?? "5048";
const workers = Number(process.env.WORKERS ?? "2");
const pretty = prettyFactory({
  colorize: true,
  singleLine: true,
  ignore: "pid,hostname,service,id,workerId",
  translateTime: "HH:MM:ss.l",
});
const colours = [36, 35, 33, 32, 34, 31];

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`[start] ${command} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!process.env.AMQP_URL && !process.env.MONGO_URL) step("bash", ["scripts/services.sh", "up"]);
console.log("[start] building (tsc -b, incremental)");
step("npx", ["tsc", "-b"]);

// The orchestrator signs dispatches and workers verify them with this shared secret.
const DEVELOPMENT_DISPATCH_SECRET = "textops-development-dispatch-secret";
if (!process.env.DISPATCH_SECRET) {
  process.env.DISPATCH_SECRET = DEVELOPMENT_DISPATCH_SECRET;
  console.log(
    "[start] DISPATCH_SECRET not set: using the development value; set your own outside this machine",
  );
}

const services = [
  { name: "ingress", entry: "services/ingress/dist/main.js", env: { PORT: port } },
  { name: "orchestrator", entry: "services/orchestrator/dist/main.js", env: {} },
  ...Array.from({ length: workers }, (_, i) => ({
    name: `worker-${i + 1}`,
    entry: "services/worker/dist/main.js",
    env: { WORKER_ID: `worker-${i + 1}` },
  })),
  // The second pool of the shipped catalog: its deploy job is a shell script.
  {
    name: "worker-deployers",
    entry: "services/worker/dist/main.js",
    env: { WORKER_ID: "worker-deployers", WORKER_POOLS: "deployers", WORKER_EXECUTORS: "shell" },
  },
];
const width = Math.max(...services.map((s) => s.name.length));
/** How long the services may take to stop before they are killed (workers let jobs finish). */
const STOP_GRACE_MS = 40_000;
let stopping = false;
/** Whether some service had to be killed while stopping. */
let forced = false;

/** One supervised service: its current process, if any, and how it has been dying. */
const supervised = services.map((service, i) => ({
  ...service,
  prefix: `\x1b[${colours[i % colours.length]}m${service.name.padEnd(width)} |\x1b[0m `,
  child: null,
  exited: Promise.resolve(),
  startedAt: 0,
  streak: 0,
  restarts: 0,
  timer: null,
}));

function say(service, text) {
  process.stdout.write(`${service.prefix}\x1b[1m[start] ${text}\x1b[0m\n`);
}

function launch(service) {
  const child = spawn(process.execPath, [service.entry], {
    cwd: root,
    env: { ...process.env, ...service.env },
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own: Ctrl-C in the terminal reaches only this
    // runner, which then sends each service one SIGTERM (a second signal
    // would make a service exit at once, without its graceful shutdown).
    detached: true,
  });
  service.child = child;
  service.startedAt = Date.now();
  let markExited;
  service.exited = new Promise((resolve) => (markExited = resolve));
  say(service, `started (pid ${child.pid})`);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      const text = line.startsWith("{") ? pretty(line).trimEnd() : line;
      process.stdout.write(`${service.prefix}${text}\n`);
    });
  }
  let ended = false;
  const onEnd = (code, signal) => {
    if (ended) return;
    ended = true;
    service.child = null;
    markExited();
    if (stopping) say(service, `stopped (${describeExit(code, signal)})`);
    else scheduleRestart(service, describeExit(code, signal));
  };
  child.on("exit", onEnd);
  child.on("error", (error) => {
    say(service, `could not run: ${error.message}`);
    // A process that never started emits no exit.
    if (child.pid === undefined) onEnd(null, null);
  });
}

function scheduleRestart(service, how) {
  const ranForMs = Date.now() - service.startedAt;
  const next = nextRestart(service.streak, ranForMs);
  service.streak = next.streak;
  service.restarts += 1;
  say(
    service,
    `${how} after ${formatDuration(ranForMs)}; restarting in ` +
      `${formatDuration(next.delayMs)} (restart ${service.restarts})`,
  );
  service.timer = setTimeout(() => {
    service.timer = null;
    if (!stopping) launch(service);
  }, next.delayMs);
}

for (const service of supervised) launch(service);

async function announceWhenReady() {
  for (let i = 0; i < 120 && !stopping; i += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.ok) {
        console.log(
          `\n[start] TextOps is up. Send texts to http://127.0.0.1:${port}/dev/inbound, for example:\n` +
            `  curl -s -X POST http://127.0.0.1:${port}/dev/inbound -H 'Content-Type: application/json' \\\n` +
            `    -d '{"from":"user1","conversation":"user1","body":"run demo"}'\n` +
            `[start] RabbitMQ management: http://127.0.0.1:15672 (guest/guest). ` +
            `A service that dies is restarted; Ctrl-C stops everything.\n`,
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function killAll(signal) {
  for (const { child } of supervised) if (child) child.kill(signal);
}

/** SIGTERM to every service, then wait (bounded) for all to exit; a second signal kills at once. */
function stop(signal) {
  if (stopping) {
    console.log(`\n[start] ${signal} again: killing what still runs`);
    forced = true;
    killAll("SIGKILL");
    return;
  }
  stopping = true;
  console.log(`\n[start] ${signal}: stopping all services (${signal} again kills them at once)`);
  for (const service of supervised) clearTimeout(service.timer);
  killAll("SIGTERM");
  const force = setTimeout(() => {
    forced = true;
    console.log(`[start] still running after ${formatDuration(STOP_GRACE_MS)}: killing them`);
    killAll("SIGKILL");
  }, STOP_GRACE_MS);
  void Promise.all(supervised.map((s) => s.exited)).then(() => {
    clearTimeout(force);
    console.log("[start] all services stopped");
    process.exit(forced ? 1 : 0);
  });
}

process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
void announceWhenReady();
