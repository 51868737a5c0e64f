// History for the growth scenario: one run taken through the real system
// (`run demo`, `yes <id>`, a worker running it), read back from the database with
// the inbox entries it left, and stored again under other run ids as often as
// needed. Copies of a real run keep their shape however the contracts evolve.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { nthRunId } from "./mongo.mjs";
import { waitForOrchestrator } from "./rabbit.mjs";
import { followRuns } from "./system.mjs";

/**
 * Makes the template on database `dbName` (empty but for the orchestrator's
 * indexes): returns the finished run and its inbox entries, with their `_id`s (which
 * hold the run id and providerMessageIds, and are rewritten with them in copies).
 * @param {any} ctx
 */
export async function finishedRunTemplate(ctx, dbName) {
  const db = ctx.mongo.db(dbName);
  const inbox = db.collection("inbox");
  const orchestrator = ctx.services.orchestrator(dbName);
  const follow = followRuns(ctx.bus);
  let worker;
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
    const completed = follow.completed(created.runId);
    await ctx.bus.request(`yes ${created.runId}`, conversation, { providerMessageId: texts[1] });
    await completed;
    // The completion is applied (and its outbox emptied) a moment after the worker reports it.
    const runs = db.collection("runs");
    const fresh = async () =>
      (await inbox.find({}).toArray()).filter((d) => !before.has(String(d._id)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await runs.findOne({ runId: created.runId });
      const added = await fresh();
      // A text that changed the run is on the run, not marked done in the inbox.
      const settled =
        added.length > 0 &&
        added.every((e) => (e.channelId !== "worker" || e.state === "done") && !e.outbox?.length);
      if (run?.status === "Succeeded" && !run.outbox?.length && settled) {
        return { run, inbox: added, runId: created.runId, texts };
      }
      if (Date.now() > deadline)
        throw new Error(`run ${created.runId} did not settle as Succeeded`);
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
 * @param {import("mongodb").Db} db
 */
export async function storeCopies(db, template, from, to, { batch = 1000, onProgress } = {}) {
  const json = JSON.stringify({ run: template.run, inbox: template.inbox });
  const copy = (n) => {
    const id = nthRunId(n);
    const runId = id === template.runId ? nthRunId(n + 500_000_000) : id;
    let text = json;
    for (const text0 of template.texts) text = text.replaceAll(text0, `${text0}-${n}`);
    return JSON.parse(text.replaceAll(template.runId, runId));
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
