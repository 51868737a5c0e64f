import { RUN_TIMELINES, RunTimelineFromDocument } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import { aRun } from "../../testing/run-builder.js";
import { createRunRepository } from "./run.repository.js";

describe("the run timelines read model", () => {
  test("a run the repository wrote is found where the contracts say, as its public view", async ({
    mongo,
  }) => {
    const runs = await createRunRepository(mongo.db);
    const run = aRun();
    await runs.insert(run, null);

    const stored = await mongo.db
      .collection<{ _id: string }>(RUN_TIMELINES.collection)
      .findOne(RUN_TIMELINES.byRunId(run.runId), { projection: RUN_TIMELINES.projection });

    const { run: summary, ...rest } = RunTimelineFromDocument.parse(stored);
    expect(summary).toEqual(RunTimelineFromDocument.parse(run).run);
    expect(Object.keys(summary)).not.toContain("version");
    expect(rest.events).toEqual(run.events);
  });
});
