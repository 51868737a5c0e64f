// Scenario 2: orchestrator throughput. `run demo` commands published straight to
// textops.inbound (unique providerMessageIds, 50 conversations), each approved as
// soon as its reply arrives; a message counts once its reply is in (state written,
// outbox published with confirms) and, for approvals, its dispatch was taken off
// worker.dispatch (no worker runs meanwhile).
import { QUEUES } from "@textops/contracts";
import { waitForOrchestrator, type Bus, type DispatchSink } from "../lib/bus.js";
import type { BenchContext } from "../lib/context.js";
import { cpuSnapshot, cpuSpent } from "../lib/proc.js";
import { pidsOf } from "../lib/services.js";

export interface OrchestratorMeasurement {
  rate: number;
  messages: number;
  seconds: number;
  cpuMsPerMessage: Record<string, number>;
}

/** Creates `n` runs and approves each; resolves when all replies and dispatches are in. */
export async function runAndApprove(
  bus: Bus,
  sink: Pick<DispatchSink, "count" | "waitFor">,
  n: number,
  tag: string,
  onProgress?: (done: number) => void,
): Promise<void> {
  const before = sink.count;
  let done = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const conversation = `${tag}-user${i % 50}`;
      const created = await bus.request("run demo", conversation);
      if (!created.runId)
        throw new Error(`run demo was not answered with a run: ${JSON.stringify(created)}`);
      const approved = await bus.request(`yes ${created.runId}`, conversation);
      if (!approved.dispatchedExecution) {
        throw new Error(`yes ${created.runId} dispatched nothing: ${JSON.stringify(approved)}`);
      }
      done += 1;
      onProgress?.(done);
    }),
  );
  await sink.waitFor(before + n);
}

/** One repeat on a fresh database: warm-up, then `runs` runs created and approved. */
export async function measureOrchestrator(
  ctx: BenchContext,
  rep: number,
  { runs, warmupRuns }: { runs: number; warmupRuns: number },
): Promise<OrchestratorMeasurement> {
  const orchestrator = ctx.services.orchestrator(ctx.dbName(`orch${rep}`));
  try {
    await waitForOrchestrator(ctx.bus);
    const sink = await ctx.bus.sinkDispatches();
    try {
      await runAndApprove(ctx.bus, sink, warmupRuns, `w${rep}`);
      const groups = { orchestrator: pidsOf(orchestrator), ...ctx.serverPids };
      const cpu0 = cpuSnapshot(groups);
      const t0 = performance.now();
      await runAndApprove(ctx.bus, sink, runs, `r${rep}`, (done) => {
        const s = (performance.now() - t0) / 1000;
        ctx.progress.update(
          `repeat ${rep}: ${done}/${runs} runs approved, ${Math.round((2 * done) / s)} msg/s`,
        );
      });
      const seconds = (performance.now() - t0) / 1000;
      const messages = 2 * runs;
      const cpu = cpuSpent(cpu0, cpuSnapshot(groups));
      const cpuMsPerMessage = Object.fromEntries(
        Object.entries(cpu).map(([k, ms]) => [k, Math.round((ms / messages) * 100) / 100]),
      );
      return { rate: messages / seconds, messages, seconds, cpuMsPerMessage };
    } finally {
      await sink.stop();
    }
  } finally {
    await orchestrator.stop();
    await ctx.bus.purge([QUEUES.outbound("dev")]);
  }
}
