// The baselines' own queues, with exactly the arguments of orchestrator.input.
import { QUEUES, TOPOLOGY } from "@textops/contracts";

export const BASELINE_IN = "bench.baseline.in";
export const BASELINE_OUT = "bench.baseline.out";

const input = TOPOLOGY.queues.find((q) => q.name === QUEUES.orchestratorInput);

/** orchestrator.input's arguments, dead-lettering under the baseline queue's own name. */
export function baselineQueueArguments(queue: string): Record<string, unknown> {
  if (!input) throw new Error(`no ${QUEUES.orchestratorInput} in the topology`);
  return { ...input.arguments, "x-dead-letter-routing-key": queue };
}
