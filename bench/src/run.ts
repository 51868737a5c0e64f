// `npm run bench`: TextOps measured on the real system, against baselines taken
// in the same run on the same machine. See bench/README.md.
//
// Everything runs in a RabbitMQ vhost and databases of the bench's own, removed
// at the end; all traffic goes to 127.0.0.1; every wait has a deadline.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MongoClient } from "mongodb";
import { QUEUES } from "@textops/contracts";
import { rabbitAdmin, vhostUrl, type BrokerOverview } from "@textops/testing/admin";
import { connectBus, type Bus } from "./lib/bus.js";
import { loadBenchConfig } from "./lib/config.js";
import type { BenchContext } from "./lib/context.js";
import { connectMongo, dropDatabases } from "./lib/mongo.js";
import { pidsListeningOn } from "./lib/proc.js";
import { createProgress } from "./lib/progress.js";
import { serviceManager } from "./lib/services.js";
import { scenarioPlan } from "./plan.js";
import { benchDocument, BuildInfo, heading } from "./report/document.js";
import { lastLine, writeResults } from "./report/output.js";
import type { MemoryEntry, ScenarioResults } from "./report/results.js";
import { formatTable, tableRows } from "./report/table.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** Queues a failed scenario may leave messages in. */
const PURGED_AFTER_FAILURE = [
  QUEUES.orchestratorInput,
  QUEUES.workerDispatch,
  QUEUES.outbound("dev"),
];
const config = loadBenchConfig(process.env);
/** The whole run is stopped after this long, whatever happens. */
const HARD_LIMIT_MS = config.hardLimitSeconds * 1000;
const plan = scenarioPlan(config);

const progress = createProgress({ totalSteps: plan.length + 1 });
const stamp = Date.now().toString(36);
const vhost = `textops-bench-${stamp}-${process.pid}`;
const dbPrefix = `bench_${stamp}_`;
const admin = rabbitAdmin(config.rabbitApi);
const amqpUrl = vhostUrl(config.amqpBase, vhost);
const services = serviceManager({
  root,
  amqpUrl,
  mongoUrl: config.mongoUrl,
  defaultDb: `${dbPrefix}services`,
  cpuProfileDir: config.cpuProfileDir,
});
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const stack = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

let cleanedUp = false;
let bus: Bus | undefined;
let mongo: MongoClient | undefined;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  await services.stopAll().catch(() => services.killAll());
  await bus?.close().catch(() => {});
  if (mongo) {
    const client = mongo;
    await dropDatabases(client, dbPrefix).catch((e: unknown) =>
      progress.note(`could not drop databases: ${message(e)}`),
    );
    await client.close().catch(() => {});
  }
  await admin
    .deleteVhost(vhost)
    .catch((e: unknown) => progress.note(`could not delete vhost ${vhost}: ${message(e)}`));
}
async function abort(reason: string, code: number) {
  progress.note(`stopping: ${reason}`);
  services.killAll();
  await cleanUp();
  process.exit(code);
}
process.once("SIGINT", () => void abort("interrupted", 130));
process.once("uncaughtException", (error) => void abort(`unexpected error: ${stack(error)}`, 1));
process.on("unhandledRejection", (error) => progress.note(`ignored: ${String(error)}`));
process.once("SIGTERM", () => void abort("terminated", 143));
const watchdog = setTimeout(
  () => void abort(`over the hard limit of ${HARD_LIMIT_MS / 1000} s`, 1),
  HARD_LIMIT_MS,
);
watchdog.unref();

function build() {
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-b"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`tsc -b failed:\n${result.stdout}${result.stderr}`);
}

/** Connects to the servers in the bench's own vhost; says what the servers are. */
async function setUp() {
  const hint = "are the servers running? (npm run services up)";
  await admin.createVhost(vhost).catch((error: unknown) => {
    throw new Error(`cannot create RabbitMQ vhost ${vhost}: ${message(error)}; ${hint}`);
  });
  const connectedBus = await connectBus(amqpUrl);
  bus = connectedBus;
  const client = await connectMongo(config.mongoUrl).catch((error: unknown) => {
    throw new Error(`cannot reach ${config.mongoUrl}: ${message(error)}; ${hint}`);
  });
  mongo = client;
  const overview: BrokerOverview = await admin.overview().catch(() => ({}));
  const buildInfo = BuildInfo.catch({}).parse(
    await client
      .db("admin")
      .command({ buildInfo: 1 })
      .catch(() => ({})),
  );
  return {
    bus: connectedBus,
    mongo: client,
    rabbitmqVersion: overview.rabbitmq_version ?? null,
    buildInfo,
  };
}

async function main(): Promise<boolean> {
  progress.step("build and set up");
  if (!config.skipBuild) build();
  const servers = await setUp();

  const results: ScenarioResults = {};
  let memory: (MemoryEntry & { key: string })[] = [];
  const ctx: BenchContext = {
    config,
    bus: servers.bus,
    mongo: servers.mongo,
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
    recordMemory(key, service, when, proc) {
      const mb = proc?.memoryMb();
      if (!mb) return null;
      memory = [...memory.filter((m) => m.key !== key), { key, service, when, ...mb }];
      return mb;
    },
  };

  const failures: string[] = [];
  for (const scenario of plan) {
    progress.step(scenario.title);
    const t0 = Date.now();
    try {
      const result = await scenario.run(ctx);
      Object.assign(results, {
        [scenario.key]: { ...result, scenarioSeconds: Math.round((Date.now() - t0) / 100) / 10 },
      });
    } catch (error) {
      // One scenario failing leaves the others their chance; the run still fails at the end.
      failures.push(`${scenario.key}: ${message(error)}`);
      progress.note(`scenario ${scenario.key} failed: ${stack(error)}`);
      await services.stopAll();
      await servers.bus.purge(PURGED_AFTER_FAILURE).catch(() => {});
    }
  }
  await cleanUp();
  progress.done();

  const document = benchDocument({
    root,
    config,
    durationSeconds: progress.elapsedSeconds(),
    rabbitmqVersion: servers.rabbitmqVersion,
    buildInfo: servers.buildInfo,
    failures,
    results: { memory: memory.map(({ key: _key, ...m }) => m), ...results },
  });
  const path = await writeResults(join(root, "bench/results"), document);

  console.log(heading(document, config.repeats));
  console.log(formatTable(tableRows(document.results)));
  console.log(`results: ${path}`);
  for (const failure of failures) console.log(`FAILED ${failure}`);
  console.log(lastLine(document.headline));
  return failures.length === 0;
}

main().then(
  (ok) => {
    clearTimeout(watchdog);
    process.exit(ok ? 0 : 1);
  },
  async (error: unknown) => {
    progress.note(`failed: ${stack(error)}`);
    services.killAll();
    await cleanUp();
    process.exit(1);
  },
);
