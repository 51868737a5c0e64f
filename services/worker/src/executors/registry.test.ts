import { describe, expect, test } from "vitest";
import { builtInExecutors } from "./registry.js";

describe(builtInExecutors.name, () => {
  test("has the built-in jobs by name and nothing else", () => {
    const executors = builtInExecutors({ demoDelayMs: 1 });

    expect([...executors.keys()].sort()).toEqual(["demo", "echo", "fail", "flaky", "sleep"]);
    expect(executors.get("nope")).toBeUndefined();
  });
});
