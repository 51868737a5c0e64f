import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { echoExecutor } from "./echo.executor.js";

const log = pino({ level: "silent" });
const signal = new AbortController().signal;

describe("echoExecutor", () => {
  test("lists its parameters in order", async () => {
    const parameters = [
      { name: "env", value: "prod" },
      { name: "note", value: "two words" },
    ];

    expect(await echoExecutor({ parameters, attempt: 1, signal, log })).toEqual({
      summary: "env=prod note=two words",
    });
  });

  test("says when there are none", async () => {
    expect(await echoExecutor({ parameters: [], attempt: 1, signal, log })).toEqual({
      summary: "no parameters",
    });
  });
});
