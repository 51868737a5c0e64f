import { RunId } from "@textops/contracts";
import { Router } from "express";
import type { RunReader, RunTimeline } from "../../ports.js";
import { annotate } from "./request-context.js";

/** The seed's run view, fields in a fixed order; nothing internal to the orchestrator. */
function timelineView({ run, events }: RunTimeline) {
  return {
    run: {
      runId: run.runId,
      jobKey: run.jobKey,
      status: run.status,
      createdAt: run.createdAt,
      requestedByAddress: run.requestedByAddress,
      channelId: run.channelId,
      conversationId: run.conversationId,
      parameters: run.parameters,
      attempt: run.attempt,
      updatedAt: run.updatedAt,
    },
    events: events.map((e) => ({
      runId: e.runId,
      seq: e.seq,
      type: e.type,
      at: e.at,
      actor: e.actor,
      payload: e.payload,
    })),
  };
}

/** `GET /runs/:runId`: a run and its timeline; ids are matched case-insensitively. */
export function runsRoute(runs: RunReader): Router {
  return Router().get("/runs/:runId", async (req, res) => {
    const runId = RunId.safeParse(req.params.runId.toUpperCase());
    const timeline = runId.success ? await runs.find(runId.data) : null;
    if (!timeline) {
      res.status(404).json({ error: "run not found" });
      return;
    }
    annotate(req, res, { runId: timeline.run.runId });
    res.json(timelineView(timeline));
  });
}
