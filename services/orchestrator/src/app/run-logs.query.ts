import { lastLines } from "@textops/contracts";
import { texts } from "../domain/notices.js";
import type { RunOutputReader, RunStore } from "./ports.js";

/** What fits one text message of a run's output: about three SMS segments. */
export const LOGS_TEXT_CHARS = 450;

/** `logs <id>`: the last lines of the run's latest attempt that has output. */
export async function runLogsText(
  deps: { runs: RunStore; output: RunOutputReader },
  runId: string,
): Promise<string> {
  const run = await deps.runs.find(runId);
  if (!run) return texts.notFound(runId);
  const attempt = (await deps.output.attempts(runId)).at(-1);
  const output = attempt === undefined ? null : await deps.output.read(runId, attempt);
  if (attempt === undefined || output === null || output.text.trim() === "") {
    return texts.noOutput(run);
  }
  return texts.logs(run, attempt, lastLines(output.text, LOGS_TEXT_CHARS, output.truncated));
}
