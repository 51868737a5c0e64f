// History for the growth scenario: one run taken through the real system
// (`run demo`, `yes <id>`, a worker running it), read back from the database with
// the inbox entries it left, and stored again under other run ids as often as
// needed. Copies of a real run keep their shape however the contracts evolve.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db, Document } from "mongodb";
import { z } from "zod";
import { waitForOrchestrator } from "./bus.js";
import type { BenchContext } from "./context.js";
import { nthRunId } from "./mongo.js";
import type { ServiceProcess } from "./services.js";
import { followRuns } from "./system.js";

/** A finished run and its inbox entries, as stored, with the ids copies rewrite. */
export interface RunTemplate {
  run: Document;
  inbox: Document[];
  runId: string;
  /** The providerMessageIds of its `run` and `yes` texts. */
  texts: string[];
}

/** The fields of stored runs and inbox entries that say whether a run has settled. */
const Stored = z.object({
  status: z.string().optional(),
  channelId: z.string().optional(),
  state: z.string().optional(),
  outbox: z.array(z.unknown()).optional(),
});
const pendingOutbox = (doc: Document) => (Stored.parse(doc).outbox?.length ?? 0) > 0;

/** Whether the run and its inbox entries are settled: Succeeded, nothing left to publish. */
function settled(run: Document | null, added: Document[]): boolean {
  if (!run || Stored.parse(run).status !== "Succeeded" || pendingOutbox(run)) return false;
  // A text that changed the run is on the run, not marked done in the inbox.
  return (
    added.length > 0 &&
    added.every((e) => {
      const entry = Stored.parse(e);
      return (entry.channelId !== "worker" || entry.state === "done") && !pendingOutbox(e);
    })
  );
}

/**
 * Makes the template on database `dbName` (empty but for the orchestrator's
 * indexes): returns the finished run and its inbox entries, with their `_id`s (which
 * hold the run id and providerMessageIds, and are rewritten with them in copies).
 */
export async function finishedRunTemplate(ctx: BenchContext, dbName: string): Promise<RunTemplate> {
  const db = ctx.mongo.db(dbName);
  const inbox = db.collection("inbox");
  const orchestrator = ctx.services.orchestrator(dbName);
  const follow = followRuns(ctx.bus);
  let worker: ServiceProcess | undefined;
  try {
    await waitForOrchestrator(ctx.bus);
    const ids = async () =>
      (await inbox.find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id));
    const before = new Set(await ids());
    worker = await ctx.services.worker("bench-template", { DEMO_DELAY_MS: "0" });
    const conversation = "history";
    const texts = [randomUUID(), randomUUID()];
    const created = await ctx.bus.request("run demo", conversation, {
      providerMessageId: texts[0],
    });
    const runId = created.runId;
    if (!runId) throw new Error(`run demo was not answered with a run: ${JSON.stringify(created)}`);
    const completed = follow.completed(runId);
    await ctx.bus.request(`yes ${runId}`, conversation, { providerMessageId: texts[1] });
    await completed;
    // The completion is applied (and its outbox emptied) a moment after the worker reports it.
    const runs = db.collection("runs");
    const fresh = async () =>
      (await inbox.find({}).toArray()).filter((d) => !before.has(String(d._id)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await runs.findOne({ runId });
      const added = await fresh();
      if (run && settled(run, added)) return { run, inbox: added, runId, texts };
      if (Date.now() > deadline) throw new Error(`run ${runId} did not settle as Succeeded`);
      await sleep(100);
    }
  } finally {
    follow.stop();
    await Promise.all([worker?.stop(), orchestrator.stop()]);
  }
}

/**
 * Stores copies numbered [from, to) of the template, in batches: each with its
 * own run id and providerMessageIds, everything else as the original.
 */
export async function storeCopies(
  db: Db,
  template: RunTemplate,
  from: number,
  to: number,
  { batch = 1000, onProgress }: { batch?: number; onProgress?: (stored: number) => void } = {},
): Promise<void> {
  const json = JSON.stringify({ run: template.run, inbox: template.inbox });
  const copy = (n: number) => {
    const id = nthRunId(n);
    const runId = id === template.runId ? nthRunId(n + 500_000_000) : id;
    let text = json;
    for (const text0 of template.texts) text = text.replaceAll(text0, `${text0}-${n}`);
    return JSON.parse(text.replaceAll(template.runId, runId)) as Omit<
      RunTemplate,
      "runId" | "texts"
    >;
  };
  const runs = db.collection("runs");
  const inbox = db.collection("inbox");
  for (let start = from; start < to; start += batch) {
    const copies = [];
    for (let n = start; n < Math.min(to, start + batch); n += 1) copies.push(copy(n));
    await runs.insertMany(
      copies.map((c) => c.run),
      { ordered: false },
    );
    await inbox.insertMany(
      copies.flatMap((c) => c.inbox),
      { ordered: false },
    );
    onProgress?.(Math.min(to, start + batch));
  }
}
