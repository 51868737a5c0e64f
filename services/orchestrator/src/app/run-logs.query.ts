import { lastLines } from "@textops/contracts";
import { takesPart } from "../domain/decide-under-policy.js";
import { texts } from "../domain/notices.js";
import type { Person } from "../domain/requester.js";
import { underPolicy } from "../domain/run-approval.js";
import type { RunOutputReader, RunStore } from "./ports.js";

/** What fits one text message of a run's output: about three SMS segments. */
export const LOGS_TEXT_CHARS = 450;

/**
 * `logs <id>`: the last lines of the run's latest attempt that has output.
 * A run asked for under a policy is not there for `person` if they take no part in it.
 */
export async function runLogsText(
  deps: { runs: RunStore; output: RunOutputReader },
  runId: string,
  person?: Person,
): Promise<string> {
  const run = await deps.runs.find(runId);
  if (!run) return texts.notFound(runId);
  if (person !== undefined && underPolicy(run) && !takesPart(run, person)) {
    return texts.notFound(runId);
  }
  const attempt = (await deps.output.attempts(runId)).at(-1);
  const output = attempt === undefined ? null : await deps.output.read(runId, attempt);
  if (attempt === undefined || output === null || output.text.trim() === "") {
    return texts.noOutput(run);
  }
  return texts.logs(run, attempt, lastLines(output.text, LOGS_TEXT_CHARS, output.truncated));
}
