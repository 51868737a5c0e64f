import { RunSummary, RunTimelineFromDocument } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aDispatch, aRun, T0 } from "../testing/run-builder.js";
import { Run } from "./stored-run.js";

const at = new Date(T0).toISOString();

const dispatch = aDispatch({ parameters: [{ name: "env", value: "prod" }] });

describe("Run", () => {
  test("a run document keeps its events and outbox", () => {
    const run = aRun({
      outbox: [
        {
          type: "ExecutionDispatch",
          messageId: "x",
          correlationId: "K7Q2MX",
          occurredAt: at,
          payload: dispatch,
        },
      ],
    });

    expect(Run.parse(run)).toEqual(run);
    expect(Run.safeParse({ ...run, status: "Paused" }).error?.issues[0]?.path).toEqual(["status"]);
  });

  test("is the read model's document: its public view holds none of the private fields", () => {
    const run = aRun({ requestedBy: "alice", approvers: ["bob"] });

    const timeline = RunTimelineFromDocument.parse(run);

    expect(Object.keys(timeline.run)).toEqual(Object.keys(RunSummary.shape));
    expect(timeline.run).toMatchObject({ runId: run.runId, status: run.status });
    expect(timeline.events).toEqual(run.events);
  });
});
