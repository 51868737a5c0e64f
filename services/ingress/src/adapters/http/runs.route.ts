import { RunId } from "@textops/contracts";
import { Router } from "express";
import type { RunReader } from "../../ports.js";
import { annotate } from "./request-context.js";

/** `GET /runs/:runId`: a run's public view (RunTimeline); ids are matched case-insensitively. */
export function runsRoute(runs: RunReader): Router {
  return Router().get("/runs/:runId", async (req, res) => {
    const runId = RunId.safeParse(req.params.runId.toUpperCase());
    const timeline = runId.success ? await runs.find(runId.data) : null;
    if (!timeline) {
      res.status(404).json({ error: "run not found" });
      return;
    }
    annotate(req, res, { runId: timeline.run.runId });
    res.json(timeline);
  });
}
