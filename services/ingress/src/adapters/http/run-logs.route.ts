import { RunId } from "@textops/contracts";
import { Router, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { issuesOf } from "../../domain/dev-inbound.js";
import { maySeeRun } from "../../domain/read-access.js";
import type { RunOutputReader, RunReader } from "../../ports.js";
import { readerOf } from "./bearer-auth.js";
import { invalidRequest, RUN_NOT_FOUND } from "./errors.js";
import { annotate } from "./request-context.js";

/** The first line of output whose start was dropped to keep within the limit. */
export const EARLIER_OUTPUT_DROPPED = "[earlier output dropped]";

const LogsQuery = z.strictObject({
  attempt: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, "attempt is a positive integer")
    .transform(Number)
    .optional(),
});

/**
 * `GET /runs/:runId/logs[?attempt=N]`: an attempt's kept output as plain
 * text, the latest attempt with output unless one is asked for; the run id is
 * matched case-insensitively and who may read it is decided, as for `GET /runs/:runId`.
 */
export function runLogsRoute(
  runs: RunReader,
  output: RunOutputReader,
  auth: RequestHandler,
): Router {
  return Router().get("/runs/:runId/logs", auth, async (req: Request<{ runId: string }>, res) => {
    const query = LogsQuery.safeParse(req.query);
    if (!query.success) {
      res.status(400).json(invalidRequest(issuesOf(query.error)));
      return;
    }
    const runId = RunId.safeParse(req.params.runId.toUpperCase());
    const timeline = runId.success ? await runs.find(runId.data) : null;
    if (!timeline || !maySeeRun(readerOf(res), timeline)) {
      res.status(404).json(RUN_NOT_FOUND);
      return;
    }
    const id = timeline.run.runId;
    annotate(req, res, { runId: id });
    const attempt = query.data.attempt ?? (await output.attempts(id)).at(-1);
    if (attempt === undefined) {
      res.status(404).json({ error: "no output yet" });
      return;
    }
    const kept = await output.read(id, attempt);
    if (!kept) {
      res.status(404).json({ error: `no output for attempt ${attempt}` });
      return;
    }
    sendOutput(
      res,
      attempt,
      kept.truncated ? `${EARLIER_OUTPUT_DROPPED}\n${kept.text}` : kept.text,
      kept.truncated,
    );
  });
}

function sendOutput(res: Response, attempt: number, text: string, truncated: boolean) {
  res
    .set({
      "Content-Type": "text/plain; charset=utf-8",
      // Job output is anyone's text: never let a browser read it as a page.
      "X-Content-Type-Options": "nosniff",
      // It grows while the job runs.
      "Cache-Control": "no-store",
      "X-TextOps-Attempt": String(attempt),
      "X-TextOps-Output-Truncated": String(truncated),
    })
    .send(text);
}
