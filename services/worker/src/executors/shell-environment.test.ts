import { describe, expect, test } from "vitest";
import { shellEnvironment } from "./shell-environment.js";

const run = { runId: "RUN234", jobKey: "deploy", attempt: 3 };
const worker = {
  PATH: "/usr/bin:/bin",
  HOME: "/home/worker",
  LANG: "C.UTF-8",
  TZ: undefined,
  DISPATCH_SECRET: "s3cret",
  AMQP_URL: "amqp://textops:pw@rabbit:5672",
};

describe(shellEnvironment.name, () => {
  test("holds PATH, HOME, LANG, TZ when set, the run, and the parameters as text", () => {
    const parameters = [
      { name: "service", value: "api" },
      { name: "replicas", value: 2 },
      { name: "dry_run", value: true },
    ];

    expect(shellEnvironment({ ...run, parameters }, worker)).toEqual({
      PATH: "/usr/bin:/bin",
      HOME: "/home/worker",
      LANG: "C.UTF-8",
      TEXTOPS_RUN_ID: "RUN234",
      TEXTOPS_JOB: "deploy",
      TEXTOPS_ATTEMPT: "3",
      TEXTOPS_PARAM_SERVICE: "api",
      TEXTOPS_PARAM_REPLICAS: "2",
      TEXTOPS_PARAM_DRY_RUN: "true",
    });
  });

  test("refuses a parameter name that cannot be a variable's", () => {
    const parameters = [{ name: "a=b", value: "x" }];

    expect(() => shellEnvironment({ ...run, parameters }, worker)).toThrow(
      'parameter "a=b" cannot be passed as an environment variable',
    );
  });

  test("refuses a value with a NUL character, which no environment can hold", () => {
    const parameters = [{ name: "note", value: "a\0b" }];

    expect(() => shellEnvironment({ ...run, parameters }, worker)).toThrow(
      "parameter note holds a NUL character",
    );
  });
});
