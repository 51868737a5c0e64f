import { fence, holderCheck } from "../domain/slot-rules.js";
import type { SlotHolder } from "../domain/slot-holders.js";
import { admitNext, type RunCommandDeps } from "./run-commands.js";

const NO_SENDS = { outbound: [], dispatch: null, cancel: null };

/**
 * For the sweeper: gives back slots a crash left taken, then lets waiters in.
 * Only jobs that have a slot document are looked at, each holder by its run
 * id: a slot of a run that ended is released; one asked for by an approve or
 * admit that has not written for a minute is released after fencing its run
 * (see holderCheck). Returns how many slots were given back.
 */
export async function reconcileSlots(deps: RunCommandDeps, now: number): Promise<number> {
  let released = 0;
  for (const jobKey of await deps.slots.jobsWithSlots()) {
    for (const holder of await deps.slots.holders(jobKey)) {
      if (await reconcileHolder(deps, jobKey, holder, now)) released += 1;
    }
    await admitNext(deps, jobKey, now);
  }
  return released;
}

async function reconcileHolder(
  deps: RunCommandDeps,
  jobKey: string,
  holder: SlotHolder,
  now: number,
): Promise<boolean> {
  const run = await deps.runs.find(holder.runId);
  const check = holderCheck(holder, run, now);
  if (check === "keep") return false;
  if (check === "release" || !run) return deps.slots.release(jobKey, holder.runId);
  const causationId = `fence:${run.runId}:${run.version}`;
  const fenced = { run, change: fence(run), sends: NO_SENDS, causationId, now, processed: null };
  // Not fenced: the run changed meanwhile, so it is looked at again by the next sweep.
  if (!(await deps.commit.runChange(fenced, null))) return false;
  return deps.slots.release(jobKey, holder.runId, run.version);
}
