import type { JobDefinition, JobParameter, ParameterValue } from "@textops/contracts";
import { checkParameters, type JobCatalog } from "./catalog/index.js";
import { texts } from "./notices.js";

export type RunRequest =
  | { ok: true; job: JobDefinition; parameters: ParameterValue[] }
  /** Nothing is created; `reply` says why, for the sender. */
  | { ok: false; reply: string };

/**
 * Checks `run <job> key=value …` against the catalog before any run exists:
 * the job must be in it and the parameters must be what it takes.
 */
export function checkRunRequest(
  catalog: JobCatalog,
  jobKey: string,
  given: readonly JobParameter[],
): RunRequest {
  const job = catalog.jobs.get(jobKey);
  if (job === undefined) return { ok: false, reply: texts.unknownJob(jobKey) };
  const checked = checkParameters(job, given);
  if (!checked.ok) {
    const reasons = checked.problems.map((problem) => problem.reason);
    return { ok: false, reply: texts.parametersRefused(jobKey, reasons) };
  }
  return { ok: true, job, parameters: checked.values };
}
