// What one sweep pass costs as finished runs pile up. Runs the compiled
// orchestrator (services/orchestrator/dist, unchanged) in this process without
// consuming, stores finished runs (each with the four inbox entries a real one
// leaves) straight into its database, and times orchestrator.sweep() at each
// size. A diagnostic next to `npm run bench`, not part of it.
// Usage: node bench/dist/sweep-cost.js [sizes=1000,10000] [passes=3]
// (npx tsc -b first). Own vhost and database, removed at the end.
import type { Document } from "mongodb";
import type { Run } from "./lib/orchestrator-internals.js";
import { loadBenchConfig } from "./lib/config.js";
import { withInProcessOrchestrator } from "./lib/in-process.js";
import { nthRunId } from "./lib/mongo.js";
import { createRun, decide, shippedCatalog, type RunInput } from "./lib/orchestrator-internals.js";

const [sizesArg = "1000,10000", passesArg = "3"] = process.argv.slice(2);
const sizes = sizesArg.split(",").map(Number);
const passes = Number(passesArg);

const catalog = shippedCatalog();
const demo = catalog.jobs.get("demo") ?? failWith("the shipped catalog has no demo job");

function failWith(message: string): never {
  throw new Error(message);
}

/** A run taken through approve, start and success by the pure core. */
function finishedRunOf(runId: string, t0: number): Run {
  const requester = { channelId: "dev", from: "user1", conversation: "user1" };
  let { run } = createRun({
    runId,
    jobKey: "demo",
    job: demo,
    catalogVersion: catalog.version,
    parameters: [],
    requester,
    approvalTtlSeconds: 86_400,
    now: t0,
  });
  const to = { channelId: "dev", conversation: "dev:user1" };
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const worker = { runId, attempt: 1, workerId: "w1" };
  const inputs: RunInput[] = [
    { kind: "approve", actor: "user:dev:user1", replyTo: to },
    { kind: "started", message: { ...worker, startedAt: at(20) } },
    {
      kind: "completed",
      message: {
        ...worker,
        completedAt: at(1020),
        outcome: "Succeeded",
        summary: "Job 'demo' completed successfully",
        durationMs: 1000,
      },
    },
  ];
  for (const [i, input] of inputs.entries()) {
    const { change } = decide(run, input, { now: t0 + 10 + i * 500, commandId: `c${i}` });
    if (!change) throw new Error(`${input.kind} changed nothing`);
    run = {
      ...run,
      ...change,
      events: [...run.events, ...change.events],
      version: run.version + 1,
    };
  }
  return run;
}

/** The n-th finished run as stored, with its inbox entries. */
function finishedRun(n: number): { run: Document; inbox: Document[] } {
  const runId = nthRunId(n);
  const t0 = Date.parse("2026-11-20T12:00:00.000Z") + n * 1000;
  const run = finishedRunOf(runId, t0);
  const reply = { inboundMessageId: `m-${n}`, intentType: "RunJob", jobKey: "demo", runId };
  const processed = ["dev:a", "dev:b", "worker:s", "worker:c"].map((key) => ({
    key: `${key}-${n}`,
    reply: { ...reply, dispatchedExecution: false, duplicate: false, outbound: [] },
  }));
  const entry = (channelId: string, providerMessageId: string) => ({
    _id: `${channelId}:${providerMessageId}`,
    channelId,
    providerMessageId,
    messageId: `msg-${providerMessageId}`,
    receivedAt: new Date(t0).toISOString(),
    state: "done",
    runId,
    reply: channelId === "worker" ? null : reply,
    outbox: [],
  });
  const inbox = [
    entry("dev", `run-${n}`),
    entry("dev", `yes-${n}`),
    entry("worker", `${runId}:1:started`),
    entry("worker", `${runId}:1:completed`),
  ];
  return { run: { _id: runId, ...run, outbox: [], processed }, inbox };
}

const settings = {
  prefetch: 1,
  approvalTtlSeconds: 86_400,
  sweepIntervalMs: 3_600_000,
  outboxAgeMs: 5000,
};
const config = loadBenchConfig(process.env);
await withInProcessOrchestrator("sweep", { config, settings }, async ({ db, orchestrator }) => {
  let stored = 0;
  console.log("stored runs   sweep ms (each pass)");
  for (const size of sizes) {
    for (let start = stored; start < size; start += 1000) {
      const copies = [];
      for (let n = start; n < Math.min(size, start + 1000); n += 1) copies.push(finishedRun(n));
      await db.collection("runs").insertMany(copies.map((c) => c.run));
      await db.collection("inbox").insertMany(copies.flatMap((c) => c.inbox));
    }
    stored = size;
    const times: number[] = [];
    for (let i = 0; i < passes; i += 1) {
      const t0 = performance.now();
      await orchestrator.sweep();
      times.push(performance.now() - t0);
    }
    console.log(`${String(size).padStart(11)}   ${times.map((t) => t.toFixed(1)).join(", ")}`);
  }
});
