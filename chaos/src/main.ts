import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  killActiveOrchestrator,
  killWorkerMidJob,
  poisonQueues,
  restartBroker,
  restartDatabase,
  type Fault,
} from "./faults.js";
import { RabbitNode } from "./rabbit-node.js";
import { runScenario, type ScenarioResult } from "./scenario.js";

const SCENARIOS: Record<string, Fault[]> = {
  "orchestrator-kill": [killActiveOrchestrator],
  "worker-kill": [killWorkerMidJob],
  "broker-restart": [restartBroker],
  "database-restart": [restartDatabase],
  poison: [poisonQueues],
  everything: [
    killActiveOrchestrator,
    killWorkerMidJob,
    poisonQueues,
    restartDatabase,
    restartBroker,
  ],
};

const root = fileURLToPath(new URL("../../", import.meta.url));

function usage(): never {
  console.error(
    `usage: npm run chaos -- [--short] [--repeat N] [--scenario ${Object.keys(SCENARIOS).join("|")}]…`,
  );
  process.exit(2);
}

function summary(results: ScenarioResult[]) {
  const sum = (f: (r: ScenarioResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const accepted = (r: ScenarioResult) =>
    r.workload.sent.filter((s) => s.status === 200 || s.status === 202).length;
  return (
    `sent=${sum(accepted)} duplicates=${sum((r) => r.workload.duplicates)} faults=${sum((r) => r.faults)} ` +
    `runs=${sum((r) => r.verdict.runs)} lost=${sum((r) => r.verdict.lost.length + r.verdict.unsettled.length)} ` +
    `doubled=${sum((r) => r.verdict.doubled.length)} illegal=${sum((r) => r.verdict.illegal.length)}`
  );
}

function report(result: ScenarioResult) {
  const { verdict } = result;
  console.log(`\n== ${result.name}: ${summary([result])}`);
  for (const note of result.notes) console.log(`   fault: ${note}`);
  console.log(`   503s retried by the workload: ${result.workload.unavailable}`);
  for (const problem of [
    ...verdict.lost,
    ...verdict.unsettled,
    ...verdict.doubled,
    ...verdict.illegal,
  ]) {
    console.log(`   PROBLEM: ${problem}`);
  }
  const dead = new Map<string, number>();
  for (const line of result.dead) dead.set(line, (dead.get(line) ?? 0) + 1);
  for (const [line, count] of dead) console.log(`   dead-lettered ${count}× ${line}`);
}

/** One chaos run per working copy at a time: the ports and the node's state are shared. */
function takeLock(file: string): () => void {
  let holder = NaN;
  try {
    holder = Number(readFileSync(file, "utf8"));
  } catch {
    // no lock yet
  }
  if (Number.isInteger(holder) && holder !== process.pid) {
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = true;
    } catch {
      // a stale lock of a run that died
    }
    if (alive) throw new Error(`another chaos run (pid ${holder}) is going; see ${file}`);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

async function main() {
  const { values } = parseArgs({
    options: {
      short: { type: "boolean", default: false },
      repeat: { type: "string", default: "1" },
      scenario: { type: "string", multiple: true },
    },
  });
  const names = values.scenario ?? Object.keys(SCENARIOS);
  if (names.some((n) => !(n in SCENARIOS))) usage();
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) usage();

  // FerretDB is built by the services script; no shared server is used.
  const build = spawnSync("bash", [`${root}scripts/services.sh`, "build-ferretdb"], {
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(1);
  const dir = join(root, ".local", "chaos");
  mkdirSync(dir, { recursive: true });
  const releaseLock = takeLock(join(dir, "run.pid"));
  const broker = new RabbitNode({
    dir: join(dir, "rabbitmq"),
    nodeName: "textops-chaos@localhost",
    amqpPort: 5673,
    managementPort: 15673,
    distPort: 25673,
    epmdPort: 4370,
  });
  const started = Date.now();
  const log = (line: string) =>
    console.log(`[chaos ${Math.round((Date.now() - started) / 1000)}s] ${line}`);
  let stopScenario: (() => Promise<void>) | undefined;
  const shutdown = async () => {
    await stopScenario?.();
    await broker.stop();
    releaseLock();
  };
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\nchaos: ${signal}; stopping its processes and its RabbitMQ node`);
    void shutdown().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const results: ScenarioResult[] = [];
  try {
    log("starting its own RabbitMQ node textops-chaos@localhost on 127.0.0.1:5673");
    await broker.start();
    log(`RabbitMQ node up in ${Math.round((Date.now() - started) / 1000)} s`);
    for (let round = 1; round <= repeat; round += 1) {
      for (const name of names) {
        const faults = SCENARIOS[name] ?? [];
        const result = await runScenario(name, faults, {
          root,
          broker,
          onCleanup: (stop) => (stopScenario = stop),
          ferretBinary: `${root}.local/bin/ferretdb`,
          conversations: values.short ? 6 : 14,
          runsPerConversation: values.short ? 3 : 5,
          seed: round * 7919 + names.indexOf(name),
          evidence: repeat > 1 ? `${name}.round-${round}` : name,
          log,
        });
        report(result);
        results.push(result);
      }
    }
  } finally {
    await shutdown();
  }
  log(`${results.length} scenario runs done`);
  console.log(`\n${summary(results)}`);
  const failed = results.some(
    (r) =>
      r.verdict.lost.length +
        r.verdict.unsettled.length +
        r.verdict.doubled.length +
        r.verdict.illegal.length >
      0,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(
    `chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
