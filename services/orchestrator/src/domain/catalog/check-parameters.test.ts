import { describe, expect, test } from "@textops/testing";
import { checkParameters, type ParameterCheck } from "./check-parameters.js";
import type { JobDefinition } from "@textops/contracts";

const deploy: Pick<JobDefinition, "parameters"> = {
  parameters: {
    service: { type: "enum", values: ["api", "web"], required: true },
    version: { type: "string", pattern: "^v\\d+\\.\\d+\\.\\d+$", required: true },
    replicas: { type: "int", min: 1, max: 20, default: 2, required: false },
    dryRun: { type: "bool", default: false, required: false },
    note: { type: "string", required: false },
  },
};
const sleep: Pick<JobDefinition, "parameters"> = {
  parameters: { seconds: { type: "int", min: 0, max: 3600, default: 1, required: false } },
};

/** `a=1 b=2` as the parameters of a `run` command. */
const given = (text: string) =>
  text
    .split(" ")
    .filter((token) => token !== "")
    .map((token) => {
      const [name = "", value = ""] = token.split("=");
      return { name, value };
    });

const refused = (...reasons: string[]) => ({ reasons });

/** The values, or only the reasons the sender would read. */
const outcome = (check: ParameterCheck) =>
  check.ok ? check : { reasons: check.problems.map((problem) => problem.reason) };

describe(checkParameters.name, () => {
  test.for([
    [
      "service=api version=v1.2.3",
      {
        ok: true,
        values: [
          { name: "service", value: "api" },
          { name: "version", value: "v1.2.3" },
          { name: "replicas", value: 2 },
          { name: "dryRun", value: false },
        ],
      },
    ],
    [
      "dryrun=YES replicas=20 version=v0.0.1 service=web note=x",
      {
        ok: true,
        values: [
          { name: "service", value: "web" },
          { name: "version", value: "v0.0.1" },
          { name: "replicas", value: 20 },
          { name: "dryRun", value: true },
          { name: "note", value: "x" },
        ],
      },
    ],
    ["version=v1.2.3", refused("service is required")],
    ["", refused("service is required", "version is required")],
    ["service=db version=v1.2.3", refused('service must be one of api, web, got "db"')],
    ["service=api version=1.2.3", refused('version must match ^v\\d+\\.\\d+\\.\\d+$, got "1.2.3"')],
    ["service=api version=v1.2.3 replicas=0", refused('replicas must be at least 1, got "0"')],
    ["service=api version=v1.2.3 replicas=21", refused('replicas must be at most 20, got "21"')],
    [
      "service=api version=v1.2.3 replicas=2.5",
      refused('replicas must be a whole number, got "2.5"'),
    ],
    [
      "service=api version=v1.2.3 dryRun=maybe",
      refused('dryRun must be true or false, got "maybe"'),
    ],
    [
      "service=api version=v1.2.3 env=prod",
      refused('unknown parameter "env"; it takes service, version, replicas, dryRun, note'),
    ],
    ["service=api version=v1.2.3 Service=web", refused("service is given twice")],
  ] as const)("deploy %j → %j", ([text, expected]) => {
    expect(outcome(checkParameters(deploy, given(text)))).toEqual(expected);
  });

  test.for([
    ["", { ok: true, values: [{ name: "seconds", value: 1 }] }],
    ["seconds=30", { ok: true, values: [{ name: "seconds", value: 30 }] }],
    ["seconds=abc", refused('seconds must be a whole number, got "abc"')],
    ["seconds=", refused('seconds must be a whole number, got ""')],
    [
      "seconds=99999999999999999",
      refused('seconds must be a whole number, got "99999999999999999"'),
    ],
  ] as const)("sleep %j → %j", ([text, expected]) => {
    expect(outcome(checkParameters(sleep, given(text)))).toEqual(expected);
  });

  test("a job without parameters refuses any, and says it takes none", () => {
    expect(checkParameters({ parameters: {} }, given("x=1"))).toEqual({
      ok: false,
      problems: [
        {
          kind: "unknown",
          parameter: "x",
          reason: 'unknown parameter "x"; the job takes no parameters',
        },
      ],
    });
  });
});
