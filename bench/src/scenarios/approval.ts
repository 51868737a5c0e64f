// Scenario 4: approval to start. One run at a time: `run demo` through ingress,
// then `yes <id>`; the time from sending the yes to the worker's ExecutionStarted
// (its startedAt; same clock, same machine). Two idle workers wait for dispatches.
import { setTimeout as sleep } from "node:timers/promises";
import { QUEUES } from "@textops/contracts";
import type { BenchContext } from "../lib/context.js";
import type { ServiceProcess } from "../lib/services.js";
import { latencySummary, median, round, type LatencySummary } from "../lib/stats.js";
import { followRuns, postInbound, startCore } from "../lib/system.js";

const WARMUP = 5;

export interface ApprovalResult {
  samples: number;
  fromYesSentToStartedMs: LatencySummary;
  yesAnsweredMs: LatencySummary;
  startedRelativeToAnswerMs: { p50: number | null };
}

export async function approvalToStart(ctx: BenchContext): Promise<ApprovalResult> {
  const core = await startCore(ctx, ctx.dbName("approval"), { ingress: true });
  const baseUrl = core.baseUrl ?? "";
  const follow = followRuns(ctx.bus);
  const workers: ServiceProcess[] = [];
  try {
    for (const id of ["bench-a1", "bench-a2"])
      workers.push(await ctx.services.worker(id, { DEMO_DELAY_MS: "10" }));
    const fromYes: number[] = [];
    const fromAnswer: number[] = [];
    const yesAnswered: number[] = [];
    const total = WARMUP + ctx.config.approvalSamples;
    for (let i = 0; i < total; i += 1) {
      const conversation = `approver${i % 5}`;
      const created = await postInbound(baseUrl, "run demo", conversation);
      const runId = created.runId;
      if (!runId) throw new Error(`run demo: no run in ${JSON.stringify(created)}`);
      const started = follow.started(runId);
      const completed = follow.completed(runId);
      const sentAt = Date.now();
      const t0 = performance.now();
      const approved = await postInbound(baseUrl, `yes ${runId}`, conversation);
      const answeredAt = Date.now();
      const answerMs = performance.now() - t0;
      if (!approved.dispatchedExecution)
        throw new Error(`yes ${runId}: ${JSON.stringify(approved)}`);
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
