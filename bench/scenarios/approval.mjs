// Scenario 4: approval to start. One run at a time: `run demo` through ingress,
// then `yes <id>`; the time from sending the yes to the worker's ExecutionStarted
// (its startedAt; same clock, same machine). Two idle workers wait for dispatches.
import { setTimeout as sleep } from "node:timers/promises";
import { QUEUES } from "@textops/contracts";
import { followRuns, postInbound, startCore } from "../lib/system.mjs";
import { latencySummary, median, round } from "../lib/stats.mjs";

const WARMUP = 5;

/** @param {any} ctx */
export async function approvalToStart(ctx) {
  const core = await startCore(ctx, ctx.dbName("approval"), { ingress: true });
  const follow = followRuns(ctx.bus);
  const workers = [];
  try {
    for (const id of ["bench-a1", "bench-a2"])
      workers.push(await ctx.services.worker(id, { DEMO_DELAY_MS: "10" }));
    const fromYes = [];
    const fromAnswer = [];
    const yesAnswered = [];
    const total = WARMUP + ctx.config.approvalSamples;
    for (let i = 0; i < total; i += 1) {
      const conversation = `approver${i % 5}`;
      const created = await postInbound(core.baseUrl, "run demo", conversation);
      const started = follow.started(created.runId);
      const completed = follow.completed(created.runId);
      const sentAt = Date.now();
      const t0 = performance.now();
      const approved = await postInbound(core.baseUrl, `yes ${created.runId}`, conversation);
      const answeredAt = Date.now();
      const answerMs = performance.now() - t0;
      if (!approved.dispatchedExecution)
        throw new Error(`yes ${created.runId}: ${JSON.stringify(approved)}`);
      const { payload } = await started;
      await completed;
      if (i >= WARMUP) {
        const startedAt = Date.parse(payload.startedAt);
        fromYes.push(startedAt - sentAt);
        fromAnswer.push(startedAt - answeredAt);
        yesAnswered.push(answerMs);
      }
      ctx.progress.update(`${Math.max(0, i - WARMUP + 1)}/${ctx.config.approvalSamples} approvals`);
      await sleep(20); // let the orchestrator record the callbacks before the next run
    }
    return {
      samples: fromYes.length,
      fromYesSentToStartedMs: latencySummary(fromYes),
      yesAnsweredMs: latencySummary(yesAnswered),
      startedRelativeToAnswerMs: { p50: round(median(fromAnswer), 1) },
    };
  } finally {
    follow.stop();
    await Promise.all([
      ...workers.map((w) => w.stop()),
      core.ingress?.stop(),
      core.orchestrator.stop(),
    ]);
    await ctx.bus.purge([QUEUES.outbound("dev")]);
  }
}
