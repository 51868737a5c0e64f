#!/usr/bin/env node
// `npm run bench`: TextOps measured on the real system, against baselines taken
// in the same run on the same machine. See bench/README.md.
//
// Everything runs in a RabbitMQ vhost and databases of the bench's own, removed
// at the end; all traffic goes to 127.0.0.1; every wait has a deadline.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { QUEUES } from "@textops/contracts";
import { loadBenchConfig } from "./lib/config.mjs";
import { connectMongo, dropDatabases } from "./lib/mongo.mjs";
import { createProgress } from "./lib/progress.mjs";
import { connectBus, rabbitAdmin } from "./lib/rabbit.mjs";
import {
  formatTable,
  headline,
  lastLine,
  tableRows,
  TARGETS,
  writeResults,
} from "./lib/report.mjs";
import { pidsListeningOn, serviceManager } from "./lib/services.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Queues a failed scenario may leave messages in. */
const PURGED_AFTER_FAILURE = [
  QUEUES.orchestratorInput,
  QUEUES.workerDispatch,
  QUEUES.outbound("dev"),
];
const config = loadBenchConfig(process.env);
/** The whole run is stopped after this long, whatever happens. */
const HARD_LIMIT_MS = config.hardLimitSeconds * 1000;
const want = (s) => config.scenarios.includes(s);
const plan = [
  (want("baselines") || want("orchestrator")) && {
    key: "ceiling",
    title: "baselines and orchestrator throughput",
    run: async (ctx) => {
      const { ceilingAndOrchestrator } = await import("./scenarios/ceiling.mjs");
      return ceilingAndOrchestrator(ctx, {
        baselines: want("baselines"),
        orchestrator: want("orchestrator"),
      });
    },
  },
  want("ingress") && {
    key: "ingress",
    title: "ingress latency at fixed rates",
    run: async (ctx) => (await import("./scenarios/ingress.mjs")).ingressLatency(ctx),
  },
  want("approval") && {
    key: "approval",
    title: "approval to start",
    run: async (ctx) => (await import("./scenarios/approval.mjs")).approvalToStart(ctx),
  },
  want("scale") && {
    key: "scale",
    title: "worker scale-out",
    run: async (ctx) => (await import("./scenarios/scale.mjs")).workerScaleOut(ctx),
  },
  want("growth") && {
    key: "growth",
    title: "growth of stored runs",
    run: async (ctx) => (await import("./scenarios/growth.mjs")).growth(ctx),
  },
].filter(Boolean);

const progress = createProgress({ totalSteps: plan.length + 1 });
const stamp = Date.now().toString(36);
const vhost = `textops-bench-${stamp}-${process.pid}`;
const dbPrefix = `bench_${stamp}_`;
const admin = rabbitAdmin(config.rabbitApi);
const amqpUrl = `${config.amqpBase.replace(/\/$/, "")}/${encodeURIComponent(vhost)}`;
const services = serviceManager({
  root,
  amqpUrl,
  mongoUrl: config.mongoUrl,
  defaultDb: `${dbPrefix}services`,
  cpuProfileDir: config.cpuProfileDir,
});

let cleanedUp = false;
let bus;
let mongo;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  await services.stopAll().catch(() => services.killAll());
  await bus?.close().catch(() => {});
  if (mongo) {
    await dropDatabases(mongo, dbPrefix).catch((e) =>
      progress.note(`could not drop databases: ${e.message}`),
    );
    await mongo.close().catch(() => {});
  }
  await admin
    .deleteVhost(vhost)
    .catch((e) => progress.note(`could not delete vhost ${vhost}: ${e.message}`));
}
async function abort(reason, code) {
  progress.note(`stopping: ${reason}`);
  services.killAll();
  await cleanUp();
  process.exit(code);
}
process.once("SIGINT", () => void abort("interrupted", 130));
process.once("uncaughtException", (error) => void abort(`unexpected error: ${error.stack}`, 1));
process.on("unhandledRejection", (error) => progress.note(`ignored: ${String(error)}`));
process.once("SIGTERM", () => void abort("terminated", 143));
const watchdog = setTimeout(
  () => void abort(`over the hard limit of ${HARD_LIMIT_MS / 1000} s`, 1),
  HARD_LIMIT_MS,
);
watchdog.unref();

async function main() {
  progress.step("build and set up");
  if (!config.skipBuild) {
    const build = spawnSync(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-b"],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    if (build.status !== 0) throw new Error(`tsc -b failed:\n${build.stdout}${build.stderr}`);
  }
  const hint = "are the servers running? (npm run services up)";
  await admin.createVhost(vhost).catch((error) => {
    throw new Error(`cannot create RabbitMQ vhost ${vhost}: ${error.message}; ${hint}`);
  });
  bus = await connectBus(amqpUrl);
  mongo = await connectMongo(config.mongoUrl).catch((error) => {
    throw new Error(`cannot reach ${config.mongoUrl}: ${error.message}; ${hint}`);
  });
  const overview = await admin.overview().catch(() => ({}));
  const buildInfo = await mongo
    .db("admin")
    .command({ buildInfo: 1 })
    .catch(() => ({}));

  const results = { memory: [] };
  const ctx = {
    config,
    bus,
    mongo,
    services,
    progress,
    amqpUrl,
    mongoUrl: config.mongoUrl,
    db: `${dbPrefix}baseline`,
    dbName: (suffix) => `${dbPrefix}${suffix}`,
    serverPids: {
      database: pidsListeningOn(Number(new URL(config.mongoUrl).port || 27017)),
      rabbitmq: pidsListeningOn(Number(new URL(config.amqpBase).port || 5672)),
    },
    /** Keeps the memory of a service process under `key` (a later record replaces it). */
    recordMemory(key, service, when, proc) {
      const memory = proc?.memoryMb();
      if (!memory) return null;
      results.memory = results.memory.filter((m) => m.key !== key);
      results.memory.push({ key, service, when, ...memory });
      return memory;
    },
  };

  const failures = [];
  for (const scenario of plan) {
    progress.step(scenario.title);
    const t0 = Date.now();
    try {
      results[scenario.key] = await scenario.run(ctx);
      results[scenario.key].scenarioSeconds = Math.round((Date.now() - t0) / 100) / 10;
    } catch (error) {
      // One scenario failing leaves the others their chance; the run still fails at the end.
      failures.push(`${scenario.key}: ${error?.message ?? error}`);
      progress.note(`scenario ${scenario.key} failed: ${error?.stack ?? error}`);
      await services.stopAll();
      await bus.purge(PURGED_AFTER_FAILURE).catch(() => {});
    }
  }
  await cleanUp();
  progress.done();

  const figures = headline(results);
  const document = {
    date: new Date().toISOString(),
    durationSeconds: Math.round(progress.elapsedSeconds()),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      rabbitmq: overview.rabbitmq_version ?? null,
      database: databaseName(buildInfo),
    },
    config: {
      quick: config.quick,
      repeats: config.repeats,
      orchestratorRuns: config.orchestratorRuns,
      ingressRates: config.ingressRates,
      scaleRuns: config.scaleRuns,
      growthRuns: config.growthRuns,
    },
    targets: Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, t.text])),
    headline: figures,
    failures,
    results: { ...results, memory: results.memory.map(({ key: _key, ...m }) => m) },
  };
  const path = await writeResults(join(root, "bench/results"), document);

  const { machine } = document;
  console.log(
    `TextOps bench, ${document.date}: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, ` +
      `RabbitMQ ${machine.rabbitmq}, ${machine.database}; median of ${config.repeats} repeat(s) [min – max]; ` +
      `${document.durationSeconds} s`,
  );
  console.log(formatTable(tableRows(document.results)));
  console.log(`results: ${path}`);
  for (const failure of failures) console.log(`FAILED ${failure}`);
  console.log(lastLine(figures));
  return failures.length === 0;
}

/** What the MongoDB-compatible server says it is (FerretDB built as a library reports "unknown"). */
function databaseName(info) {
  if (!info.ferretdbVersion) return info.version ? `MongoDB ${info.version}` : null;
  let version = info.ferretdbVersion;
  if (version === "unknown") {
    try {
      const goMod = readFileSync(join(root, "tools/ferretdb/go.mod"), "utf8");
      version = `${/FerretDB\/FerretDB (v[\d.]+)/.exec(goMod)?.[1] ?? "unknown"} per tools/ferretdb/go.mod`;
    } catch {
      // keep "unknown"
    }
  }
  return `FerretDB ${version} (MongoDB ${info.version} API)`;
}

main().then(
  (ok) => {
    clearTimeout(watchdog);
    process.exit(ok ? 0 : 1);
  },
  async (error) => {
    progress.note(`failed: ${error?.stack ?? error}`);
    services.killAll();
    await cleanUp();
    process.exit(1);
  },
);
