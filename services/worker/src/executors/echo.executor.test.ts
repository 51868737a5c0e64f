import { describe, expect, test } from "vitest";
import { echoExecutor } from "./echo.executor.js";
import { anExecutorContext } from "./executor.fixtures.js";

describe("echoExecutor", () => {
  test("lists its parameters in order, whatever their type", async () => {
    const parameters = [
      { name: "env", value: "prod" },
      { name: "note", value: "two words" },
      { name: "replicas", value: 2 },
      { name: "dryRun", value: false },
    ];

    expect(await echoExecutor(anExecutorContext({ parameters }))).toEqual({
      summary: "env=prod note=two words replicas=2 dryRun=false",
    });
  });

  test("says when there are none", async () => {
    expect(await echoExecutor(anExecutorContext())).toEqual({ summary: "no parameters" });
  });
});
