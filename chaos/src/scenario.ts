import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { deadLetters, createVhost, deleteVhost, queueDepths } from "./broker.js";
import { Cluster, portOpen } from "./cluster.js";
import type { Fault } from "./faults.js";
import type { RabbitNode } from "./rabbit-node.js";
import { verify, type Verdict } from "./verify.js";
import { delay, until } from "./wait.js";
import { startWorkload, type WorkloadResult } from "./workload.js";

export interface ScenarioOptions {
  root: string;
  broker: RabbitNode;
  /** Told what to stop if the run is interrupted while the scenario's processes are up. */
  onCleanup: (stop: (() => Promise<void>) | undefined) => void;
  ferretBinary: string;
  conversations: number;
  runsPerConversation: number;
  seed: number;
  /** Names the evidence files, so a later round does not overwrite a failed one. */
  evidence: string;
  log: (line: string) => void;
}

export interface ScenarioResult {
  name: string;
  workload: WorkloadResult;
  notes: string[];
  verdict: Verdict;
  dead: string[];
  faults: number;
}

const FERRET_PORT = 27018;
const INGRESS_PORT = 5098;
const WORK_QUEUES = ["orchestrator.input", "worker.dispatch", "outbound.dev"];

/** One scenario: a fresh system, a workload, the faults while it flows, then the checks. */
export async function runScenario(
  name: string,
  faults: Fault[],
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  if (await portOpen(FERRET_PORT))
    throw new Error(`port ${FERRET_PORT} is taken; is another chaos run going?`);
  const vhost = `chaos_${name}_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), "textops-chaos-"));
  const ferretLog = join(logDir(options.root), `${options.evidence}.ferretdb.log`);
  writeFileSync(ferretLog, "");
  const { broker } = options;
  const amqpUrl = `${broker.amqpUrl}/${vhost}`;
  const mongoUrl = `mongodb://127.0.0.1:${FERRET_PORT}/?retryWrites=false`;
  await createVhost(broker.managementUrl, vhost);
  const cluster = new Cluster(
    options.root,
    {
      AMQP_URL: amqpUrl,
      MONGO_URL: mongoUrl,
      MONGO_DB: "chaos",
      DISPATCH_SECRET: "chaos-dispatch-secret-0123456789",
      LOG_LEVEL: "info",
      SWEEP_INTERVAL_SECONDS: "1",
      OUTBOX_REPUBLISH_AGE_SECONDS: "2",
      HEARTBEAT_SECONDS: "1",
      DEMO_DELAY_MS: "100",
    },
    {
      binary: options.ferretBinary,
      listen: `127.0.0.1:${FERRET_PORT}`,
      dataDir,
      log: ferretLog,
    },
  );
  const baseUrl = `http://127.0.0.1:${INGRESS_PORT}`;
  options.onCleanup(() => cluster.stopAll());
  try {
    await cluster.startDatabase();
    await startServices(cluster, baseUrl);
    options.log(`${name}: system up; workload starts`);
    const flowing = startWorkload({
      baseUrl,
      conversations: options.conversations,
      runsPerConversation: options.runsPerConversation,
      duplicateShare: 0.2,
      seed: options.seed,
    });
    const notes: string[] = [];
    // Faults start once runs are being asked for, approved and executed.
    await until(
      "the workload to have a dozen answers",
      () => (flowing.progress.sent.length >= 12 ? true : undefined),
      60_000,
      50,
    );
    for (const fault of faults) {
      notes.push(await fault({ cluster, baseUrl, amqpUrl, broker }));
      options.log(`${name}: ${notes.at(-1) ?? ""}`);
    }
    const workload = await flowing.done;
    options.log(`${name}: workload done (${workload.sent.length} accepted or given up); settling`);
    const verdict = await settleAndVerify(cluster, mongoUrl, amqpUrl, workload);
    await keepRuns(options.root, options.evidence, mongoUrl);
    const dead = await deadLetters(amqpUrl);
    return { name, workload, notes, verdict, dead, faults: faults.length };
  } finally {
    const stopping = Date.now();
    await cluster.stopAll();
    options.log(`${name}: processes stopped in ${Date.now() - stopping} ms`);
    keepLogs(options.root, options.evidence, cluster);
    options.onCleanup(undefined);
    await deleteVhost(broker.managementUrl, vhost);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every run as the database holds it at the end, for reading after a failure. */
async function keepRuns(root: string, name: string, mongoUrl: string) {
  const client = await MongoClient.connect(mongoUrl);
  try {
    const runs = await client
      .db("chaos")
      .collection("runs")
      .find({}, { projection: { _id: 0 } })
      .toArray();
    writeFileSync(join(logDir(root), `${name}.runs.json`), JSON.stringify(runs, null, 1));
  } finally {
    await client.close();
  }
}

function logDir(root: string) {
  const dir = join(root, ".local", "chaos");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every JSON log line of the scenario, for reading after a failure. */
function keepLogs(root: string, name: string, cluster: Cluster) {
  const dir = logDir(root);
  const lines = cluster.lines.map((l) => JSON.stringify({ member: l.member, ...l.fields }));
  writeFileSync(join(dir, `${name}.jsonl`), `${lines.join("\n")}\n`);
}

async function startServices(cluster: Cluster, baseUrl: string) {
  cluster.start("orchestrator-1", "orchestrator", { ORCHESTRATOR_ID: "orchestrator-1" });
  // The first to consume is the active one; the second waits as the standby.
  await until(
    "orchestrator-1 to consume",
    () => cluster.lines.find((l) => l.member === "orchestrator-1" && l.fields.msg === "consuming"),
    30_000,
  );
  cluster.start("orchestrator-2", "orchestrator", { ORCHESTRATOR_ID: "orchestrator-2" });
  for (const i of [1, 2, 3]) cluster.start(`worker-${i}`, "worker", { WORKER_ID: `worker-${i}` });
  cluster.start("ingress", "ingress", { PORT: String(new URL(baseUrl).port) });
  await until(
    "ingress to be ready",
    async () => ((await fetch(`${baseUrl}/readyz`)).ok ? true : undefined),
    60_000,
    200,
  );
}

async function settleAndVerify(
  cluster: Cluster,
  mongoUrl: string,
  amqpUrl: string,
  workload: WorkloadResult,
) {
  const client = await MongoClient.connect(mongoUrl);
  try {
    const db = client.db("chaos");
    let verdict: Verdict | undefined;
    const deadline = Date.now() + 120_000;
    for (;;) {
      verdict = await verify(db, workload.sent, cluster.lines);
      const depths = await queueDepths(amqpUrl);
      const busy = WORK_QUEUES.some((q) => (depths[q] ?? 0) > 0);
      const settled = verdict.unsettled.length === 0 && verdict.lost.length === 0 && !busy;
      if (settled || Date.now() > deadline) return verdict;
      await delay(1_000);
    }
  } finally {
    await client.close();
  }
}
