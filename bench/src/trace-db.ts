// Where the orchestrator's database time goes, command by command. Runs the
// compiled orchestrator (services/orchestrator/dist, its app layer, unchanged) in
// this process on a MongoClient with command monitoring, pushes `run demo` and
// `yes <id>` through it as the bench's orchestrator scenario does, and prints the
// time spent per command shape. A diagnostic next to `npm run bench`, not part of it.
// Usage: node bench/dist/trace-db.js [runs=100] [prefetch=32]
// (npx tsc -b first). Own vhost and database, removed at the end.
import type {
  CommandFailedEvent,
  CommandStartedEvent,
  CommandSucceededEvent,
  Document,
  MongoClient,
} from "mongodb";
import { connectBus } from "./lib/bus.js";
import { loadBenchConfig } from "./lib/config.js";
import { withInProcessOrchestrator } from "./lib/in-process.js";
import { runAndApprove } from "./scenarios/orchestrator.js";

const [runs = 100, prefetch = 32] = process.argv.slice(2).map(Number);

const keysOf = (d: unknown) => (d && typeof d === "object" ? Object.keys(d) : []);
const first = (list: unknown): Document | undefined =>
  Array.isArray(list) ? (list[0] as Document | undefined) : undefined;

/** A command's shape: name, collection, filter fields, update operators. */
function shape(event: CommandStartedEvent): string {
  const c = event.command;
  const filter: unknown = c.filter ?? first(c.updates)?.q ?? first(c.deletes)?.q;
  const update: unknown = first(c.updates)?.u;
  return [
    event.commandName,
    String(c[event.commandName]),
    filter ? `{${keysOf(filter).join(", ")}}` : "",
    update ? keysOf(update).join(" ") : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** Times every command the client sends while `recording` is set. */
function commandTimer(client: MongoClient) {
  const started = new Map<number, { at: number; key: string }>();
  const totals = new Map<string, { n: number; ms: number }>();
  let recording = false;
  client.on("commandStarted", (e) =>
    started.set(e.requestId, { at: performance.now(), key: shape(e) }),
  );
  const finished = (e: CommandSucceededEvent | CommandFailedEvent) => {
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
  return {
    totals,
    record(on: boolean) {
      recording = on;
    },
  };
}

function report(totals: Map<string, { n: number; ms: number }>, messages: number, seconds: number) {
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

const settings = { prefetch, approvalTtlSeconds: 86_400, sweepIntervalMs: 5000, outboxAgeMs: 5000 };
const config = loadBenchConfig(process.env);
await withInProcessOrchestrator(
  "trace",
  { config, settings, monitorCommands: true },
  async ({ client, orchestrator, amqpUrl }) => {
    const timer = commandTimer(client);
    await orchestrator.start();
    const bus = await connectBus(amqpUrl);
    try {
      const sink = await bus.sinkDispatches();
      await runAndApprove(bus, sink, 10, "warm");
      timer.record(true);
      const t0 = performance.now();
      await runAndApprove(bus, sink, runs, "trace");
      const seconds = (performance.now() - t0) / 1000;
      timer.record(false);
      await sink.stop();
      report(timer.totals, 2 * runs, seconds);
    } finally {
      await bus.close();
    }
  },
);
