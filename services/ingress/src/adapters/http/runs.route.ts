import { RunId } from "@textops/contracts";
import { Router, type Request, type RequestHandler } from "express";
import { maySeeRun } from "../../domain/read-access.js";
import type { RunReader } from "../../ports.js";
import { readerOf } from "./bearer-auth.js";
import { RUN_NOT_FOUND } from "./errors.js";
import { annotate } from "./request-context.js";

/**
 * `GET /runs/:runId`: a run's public view (RunTimeline); ids are matched
 * case-insensitively. `auth` finds the reader; a run they may not see is a
 * 404, the same as a run that does not exist.
 */
export function runsRoute(runs: RunReader, auth: RequestHandler): Router {
  return Router().get("/runs/:runId", auth, async (req: Request<{ runId: string }>, res) => {
    const runId = RunId.safeParse(req.params.runId.toUpperCase());
    const timeline = runId.success ? await runs.find(runId.data) : null;
    if (!timeline || !maySeeRun(readerOf(res), timeline)) {
      res.status(404).json(RUN_NOT_FOUND);
      return;
    }
    annotate(req, res, { runId: timeline.run.runId });
    res.json(timeline);
  });
}
