#!/usr/bin/env node
// What one sweep pass costs as finished runs pile up. Runs the compiled
// orchestrator (services/orchestrator/dist, unchanged) in this process without
// consuming, stores finished runs (each with the four inbox entries a real one
// leaves) straight into its database, and times orchestrator.sweep() at each
// size. A diagnostic next to `npm run bench`, not part of it.
// Usage: node bench/sweep-cost.mjs [sizes=1000,10000] [passes=3]
// (npx tsc -b first). Own vhost and database, removed at the end.
import { orchestratorModule, withInProcessOrchestrator } from "./lib/in-process.mjs";
import { nthRunId } from "./lib/mongo.mjs";

const [sizesArg = "1000,10000", passesArg = "3"] = process.argv.slice(2);
const sizes = sizesArg.split(",").map(Number);
const passes = Number(passesArg);
const { createRun } = await orchestratorModule("domain/create-run.js");
const { decide } = await orchestratorModule("domain/decide.js");
const { jobPolicy } = await orchestratorModule("app/job-policies.js");

/** A run taken through approve, start and success by the pure core, as stored. */
function finishedRun(n) {
  const runId = nthRunId(n);
  const t0 = Date.parse("2026-11-20T12:00:00.000Z") + n * 1000;
  const requester = { channelId: "dev", from: "user1", conversation: "user1" };
  let { run } = createRun({
    runId,
    jobKey: "demo",
    parameters: [],
    requester,
    policy: jobPolicy("demo"),
    approvalTtlSeconds: 86_400,
    now: t0,
  });
  const to = { channelId: "dev", conversation: "dev:user1" };
  const message = (kind, at) => ({ runId, attempt: 1, workerId: "w1", [kind]: at });
  const at = (ms) => new Date(t0 + ms).toISOString();
  const inputs = [
    { kind: "approve", actor: "user:dev:user1", replyTo: to },
    { kind: "started", message: message("startedAt", at(20)) },
    {
      kind: "completed",
      message: {
        ...message("completedAt", at(1020)),
        outcome: "Succeeded",
        summary: "Job 'demo' completed successfully",
        durationMs: 1000,
      },
    },
  ];
  for (const [i, input] of inputs.entries()) {
    const { change } = decide(run, input, { now: t0 + 10 + i * 500, commandId: `c${i}` });
    run = {
      ...run,
      ...change,
      events: [...run.events, ...change.events],
      version: run.version + 1,
    };
  }
  const reply = { inboundMessageId: `m-${n}`, intentType: "RunJob", jobKey: "demo", runId };
  const processed = ["dev:a", "dev:b", "worker:s", "worker:c"].map((key) => ({
    key: `${key}-${n}`,
    reply: { ...reply, dispatchedExecution: false, duplicate: false, outbound: [] },
  }));
  const stored = { _id: runId, ...run, outbox: [], processed };
  const entry = (channelId, providerMessageId) => ({
    _id: `${channelId}:${providerMessageId}`,
    channelId,
    providerMessageId,
    messageId: `msg-${providerMessageId}`,
    receivedAt: at(0),
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
  return { run: stored, inbox };
}

const settings = {
  prefetch: 1,
  approvalTtlSeconds: 86_400,
  sweepIntervalMs: 3_600_000,
  outboxAgeMs: 5000,
};
await withInProcessOrchestrator("sweep", { settings }, async ({ db, orchestrator }) => {
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
    const times = [];
    for (let i = 0; i < passes; i += 1) {
      const t0 = performance.now();
      await orchestrator.sweep();
      times.push(performance.now() - t0);
    }
    console.log(`${String(size).padStart(11)}   ${times.map((t) => t.toFixed(1)).join(", ")}`);
  }
});
