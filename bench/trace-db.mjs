#!/usr/bin/env node
// Where the orchestrator's database time goes, command by command. Runs the
// compiled orchestrator (services/orchestrator/dist, its app layer, unchanged) in
// this process on a MongoClient with command monitoring, pushes `run demo` and
// `yes <id>` through it as the bench's orchestrator scenario does, and prints the
// time spent per command shape. A diagnostic next to `npm run bench`, not part of it.
// Usage: node bench/trace-db.mjs [runs=100] [prefetch=32]
// (npx tsc -b first). Own vhost and database, removed at the end.
import { withInProcessOrchestrator } from "./lib/in-process.mjs";
import { connectBus } from "./lib/rabbit.mjs";
import { runAndApprove } from "./scenarios/orchestrator.mjs";

const [runs = 100, prefetch = 32] = process.argv.slice(2).map(Number);

/** A command's shape: name, collection, filter fields, update operators. */
function shape(event) {
  const c = event.command;
  const filter = c.filter ?? c.updates?.[0]?.q ?? c.deletes?.[0]?.q;
  const update = c.updates?.[0]?.u;
  return [
    event.commandName,
    c[event.commandName],
    filter ? `{${Object.keys(filter).join(", ")}}` : "",
    update ? Object.keys(update).join(" ") : "",
  ]
    .filter(Boolean)
    .join(" ");
}
const started = new Map();
const totals = new Map();
let recording = false;
/** Times every command the client sends while `recording` is set. */
function timeCommands(client) {
  client.on("commandStarted", (e) =>
    started.set(e.requestId, { at: performance.now(), key: shape(e) }),
  );
  const finished = (e) => {
    const s = started.get(e.requestId);
    started.delete(e.requestId);
    if (!s || !recording) return;
    const t = totals.get(s.key) ?? { n: 0, ms: 0 };
    t.n += 1;
    t.ms += performance.now() - s.at;
    totals.set(s.key, t);
  };
  client.on("commandSucceeded", finished);
  client.on("commandFailed", finished);
}

const settings = { prefetch, approvalTtlSeconds: 86_400, sweepIntervalMs: 5000, outboxAgeMs: 5000 };
await withInProcessOrchestrator(
  "trace",
  { mongoOptions: { monitorCommands: true }, settings },
  async ({ client, orchestrator, amqpUrl }) => {
    timeCommands(client);
    await orchestrator.start();
    const bus = await connectBus(amqpUrl);
    try {
      const sink = await bus.sinkDispatches();
      await runAndApprove(bus, sink, 10, "warm");
      recording = true;
      const t0 = performance.now();
      await runAndApprove(bus, sink, runs, "trace");
      const seconds = (performance.now() - t0) / 1000;
      recording = false;
      await sink.stop();
      report(2 * runs, seconds);
    } finally {
      await bus.close();
    }
  },
);

function report(messages, seconds) {
  console.log(
    `${messages} messages (run + yes) in ${seconds.toFixed(1)} s: ${(messages / seconds).toFixed(1)} msg/s, prefetch ${prefetch}`,
  );
  console.log("   total s   count    avg ms  per msg ms  command");
  for (const [key, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `${(t.ms / 1000).toFixed(2).padStart(10)} ${String(t.n).padStart(7)} ${(t.ms / t.n).toFixed(1).padStart(9)} ${(t.ms / messages).toFixed(1).padStart(11)}  ${key}`,
    );
  }
}
