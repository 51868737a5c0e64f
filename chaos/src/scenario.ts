import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { deadLetters, createVhost, deleteVhost, queueDepths } from "./broker.js";
import { Cluster, portOpen } from "./cluster.js";
import type { Fault } from "./faults.js";
import { verify, type Verdict } from "./verify.js";
import { delay, until } from "./wait.js";
import { runWorkload, type WorkloadResult } from "./workload.js";

export interface ScenarioOptions {
  root: string;
  ferretBinary: string;
  conversations: number;
  runsPerConversation: number;
  seed: number;
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
  const amqpUrl = `amqp://guest:guest@127.0.0.1:5672/${vhost}`;
  const mongoUrl = `mongodb://127.0.0.1:${FERRET_PORT}/?retryWrites=false`;
  await createVhost(vhost);
  const cluster = new Cluster(
    options.root,
    {
      AMQP_URL: amqpUrl,
      MONGO_URL: mongoUrl,
      MONGO_DB: "chaos",
      LOG_LEVEL: "info",
      SWEEP_INTERVAL_SECONDS: "1",
      OUTBOX_REPUBLISH_AGE_SECONDS: "2",
      HEARTBEAT_SECONDS: "1",
      DEMO_DELAY_MS: "100",
    },
    { binary: options.ferretBinary, listen: `127.0.0.1:${FERRET_PORT}`, dataDir },
  );
  const baseUrl = `http://127.0.0.1:${INGRESS_PORT}`;
  try {
    await cluster.startDatabase();
    await startServices(cluster, baseUrl);
    options.log(`${name}: system up; workload starts`);
    const flowing = runWorkload({
      baseUrl,
      conversations: options.conversations,
      runsPerConversation: options.runsPerConversation,
      duplicateShare: 0.2,
      seed: options.seed,
    });
    const notes: string[] = [];
    await delay(1_500);
    for (const fault of faults) {
      notes.push(await fault({ cluster, baseUrl, amqpUrl }));
      options.log(`${name}: ${notes.at(-1) ?? ""}`);
    }
    const workload = await flowing;
    options.log(`${name}: workload done (${workload.sent.length} accepted or given up); settling`);
    const verdict = await settleAndVerify(cluster, mongoUrl, amqpUrl, workload);
    const dead = await deadLetters(amqpUrl);
    keepLogs(options.root, name, cluster);
    return { name, workload, notes, verdict, dead, faults: faults.length };
  } finally {
    await cluster.stopAll();
    await deleteVhost(vhost);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every JSON log line of the scenario, for reading after a failure. */
function keepLogs(root: string, name: string, cluster: Cluster) {
  const dir = join(root, ".local", "chaos");
  mkdirSync(dir, { recursive: true });
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
