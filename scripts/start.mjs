#!/usr/bin/env node
// `npm start`: the whole TextOps system on this machine, without Docker.
// Starts RabbitMQ and FerretDB (unless AMQP_URL and MONGO_URL are given),
// builds what changed, then runs ingress, the orchestrator and two workers
// with their logs interleaved, one colour per service. Ctrl-C stops them all.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { prettyFactory } from "pino-pretty";

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

const services = [
  { name: "ingress", entry: "services/ingress/dist/main.js", env: { PORT: port } },
  { name: "orchestrator", entry: "services/orchestrator/dist/main.js", env: {} },
  ...Array.from({ length: workers }, (_, i) => ({
    name: `worker-${i + 1}`,
    entry: "services/worker/dist/main.js",
    env: { WORKER_ID: `worker-${i + 1}` },
  })),
];
const width = Math.max(...services.map((s) => s.name.length));
let stopping = false;

const children = services.map((service, i) => {
  const prefix = `\x1b[${colours[i % colours.length]}m${service.name.padEnd(width)} |\x1b[0m `;
  const child = spawn(process.execPath, [service.entry], {
    cwd: root,
    env: { ...process.env, ...service.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      const text = line.startsWith("{") ? pretty(line).trimEnd() : line;
      process.stdout.write(`${prefix}${text}\n`);
    });
  }
  child.on("exit", (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  return child;
});

async function announceWhenReady() {
  for (let i = 0; i < 120 && !stopping; i += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.ok) {
        console.log(
          `\n[start] TextOps is up. Send texts to http://127.0.0.1:${port}/dev/inbound, for example:\n` +
            `  curl -s -X POST http://127.0.0.1:${port}/dev/inbound -H 'Content-Type: application/json' \\\n` +
            `    -d '{"from":"user1","conversation":"user1","body":"run demo"}'\n` +
            `[start] RabbitMQ management: http://127.0.0.1:15672 (guest/guest). Ctrl-C stops everything.\n`,
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log("\n[start] stopping all services");
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)),
  ).then(() => process.exit(code));
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
void announceWhenReady();
