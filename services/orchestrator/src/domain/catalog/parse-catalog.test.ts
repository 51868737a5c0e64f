import { describe, expect, test } from "@textops/testing";
import { parseCatalog } from "./parse-catalog.js";

const FILE = "config/jobs.yaml";

/** A catalog of one job, `deploy`, with `lines` indented under it. */
const withJob = (...lines: string[]) =>
  [
    "jobs:",
    "  deploy:",
    "    description: Deploy one service",
    ...lines.map((l) => `    ${l}`),
  ].join("\n");
const builtin = "executor: { kind: builtin, name: demo }";

describe(parseCatalog.name, () => {
  test("reads the issue's example, defaults applied", () => {
    const text = withJob(
      "parameters:",
      "  service: { type: enum, values: [api, web], required: true }",
      "  version: { type: string, pattern: '^v\\d+\\.\\d+\\.\\d+$', required: true }",
      "  replicas: { type: int, min: 1, max: 20, default: 2 }",
      "  dryRun: { type: bool, default: false }",
      "executor:",
      "  kind: shell",
      "  command: [./scripts/deploy.sh, --verbose]",
      "  cwd: /srv/app",
      "timeoutSeconds: 600",
      "retry: { maxAttempts: 3, onWorkerLoss: false, onExitCodes: [75] }",
      "concurrency: 1",
      "pool: default",
    );

    const parsed = parseCatalog(text, FILE);

    expect(parsed).toMatchObject({ ok: true });
    const deploy = parsed.ok ? parsed.catalog.jobs.deploy : undefined;
    expect(deploy?.executor).toEqual({
      kind: "shell",
      command: ["./scripts/deploy.sh", "--verbose"],
      cwd: "/srv/app",
    });
    expect(deploy?.parameters.replicas).toEqual({
      type: "int",
      min: 1,
      max: 20,
      default: 2,
      required: false,
    });
    expect(deploy?.retry).toEqual({ maxAttempts: 3, onWorkerLoss: false, onExitCodes: [75] });
  });

  test("a job with only a description and an executor gets the defaults", () => {
    const parsed = parseCatalog(withJob(builtin), FILE);

    expect(parsed.ok && parsed.catalog.jobs.deploy).toEqual({
      description: "Deploy one service",
      parameters: {},
      executor: { kind: "builtin", name: "demo" },
      timeoutSeconds: 300,
      retry: { maxAttempts: 3, onWorkerLoss: false, onExitCodes: [] },
      pool: "default",
    });
  });

  test("reads who may ask and who must approve, durations as written", () => {
    const text = withJob(
      builtin,
      "access: { roles: [dev, ops], users: [alice] }",
      "approval:",
      "  approvers: { roles: [ops], users: [carol] }",
      "  required: 2",
      "  expiresAfter: 30m",
      "  escalateAfter: 10m",
      "  escalateTo: { users: [carol] }",
      "  confirmCode: true",
    );

    const parsed = parseCatalog(text, FILE);

    const deploy = parsed.ok ? parsed.catalog.jobs.deploy : undefined;
    expect(deploy?.access).toEqual({ roles: ["dev", "ops"], users: ["alice"] });
    expect(deploy?.approval).toEqual({
      approvers: { roles: ["ops"], users: ["carol"] },
      required: 2,
      allowSelfApproval: false,
      expiresAfter: "30m",
      escalateAfter: "10m",
      escalateTo: { users: ["carol"] },
      confirmCode: true,
      autoApprove: false,
    });
  });

  test("yes and no stay strings (YAML 1.2 core schema)", () => {
    const text = withJob(
      builtin,
      "parameters:",
      "  answer: { type: enum, values: [yes, no], default: no }",
    );

    const parsed = parseCatalog(text, FILE);

    expect(parsed.ok && parsed.catalog.jobs.deploy?.parameters.answer).toMatchObject({
      values: ["yes", "no"],
      default: "no",
    });
  });

  const parameter = (spec: string) => withJob(builtin, "parameters:", `  replicas: ${spec}`);
  test.for([
    [
      parameter("{ type: int, min: 5, max: 1 }"),
      'job "deploy", parameter "replicas": min must not be above max',
    ],
    [
      parameter("{ type: int, min: 1, default: 0 }"),
      'job "deploy", parameter "replicas": default 0 is below min 1',
    ],
    [
      parameter("{ type: int, max: 3, default: 4 }"),
      'job "deploy", parameter "replicas": default 4 is above max 3',
    ],
    [
      parameter("{ type: int, min: one }"),
      'job "deploy", parameter "replicas", field "min": expected number, received string',
    ],
    [
      parameter("{ type: int, default: 1.5 }"),
      'job "deploy", parameter "replicas", field "default": expected int, received number',
    ],
    [
      parameter("{ type: float }"),
      'job "deploy", parameter "replicas", field "type": type must be one of string, int, bool, enum',
    ],
    [
      parameter("{ type: int, required: true, default: 2 }"),
      'job "deploy", parameter "replicas": a parameter with a default cannot be required',
    ],
    [
      parameter("{ type: int, maximum: 3 }"),
      'job "deploy", parameter "replicas": unknown field "maximum"',
    ],
    [
      parameter("{ type: string, pattern: '(' }"),
      'job "deploy", parameter "replicas": pattern is not a valid regular expression: Invalid regular expression: /(/u: Unterminated group',
    ],
    [
      parameter("{ type: string, pattern: '^v', default: x }"),
      'job "deploy", parameter "replicas": default "x" does not match pattern',
    ],
    [
      parameter("{ type: enum, values: [] }"),
      'job "deploy", parameter "replicas", field "values": values lists no value',
    ],
    [
      parameter("{ type: enum, values: [a, a] }"),
      'job "deploy", parameter "replicas": values lists "a" twice',
    ],
    [
      parameter("{ type: enum, values: [a, b], default: c }"),
      'job "deploy", parameter "replicas": default "c" is not one of values',
    ],
    [
      parameter("{ type: enum, values: [1, 2] }"),
      'job "deploy", parameter "replicas", field "values[0]": expected string, received number',
    ],
    [
      parameter("{ type: bool, default: yes }"),
      'job "deploy", parameter "replicas", field "default": expected boolean, received string',
    ],
    [
      withJob(builtin, "parameters:", "  two-words: { type: string }"),
      'job "deploy", parameter "two-words": not a valid name',
    ],
    [
      withJob(builtin, "parameters:", "  env: { type: string }", "  ENV: { type: string }"),
      'job "deploy", parameter "ENV": differs from parameter "env" only in case',
    ],
    [
      withJob("executor: { kind: docker }"),
      'job "deploy", field "executor.kind": kind must be one of shell, http, builtin',
    ],
    [
      withJob("executor: { kind: shell, command: [] }"),
      'job "deploy", field "executor.command": command must name a program',
    ],
    [
      withJob("executor: { kind: shell, command: ./deploy.sh }"),
      'job "deploy", field "executor.command": expected array, received string',
    ],
    [
      withJob("executor: { kind: http, url: ftp://x, secretEnv: S }"),
      'job "deploy", field "executor.url": url must be an http:// or https:// URL',
    ],
    [
      withJob("executor: { kind: http, url: 'https://x' }"),
      'job "deploy", field "executor.secretEnv": missing',
    ],
    [
      withJob("timeoutSeconds: 0", builtin),
      'job "deploy", field "timeoutSeconds": Too small: expected number to be >=1',
    ],
    [
      withJob(builtin, "retry: { maxAttempts: 0 }"),
      'job "deploy", field "retry.maxAttempts": Too small: expected number to be >=1',
    ],
    [
      withJob(builtin, "retry: { onExitCodes: [0] }"),
      'job "deploy", field "retry.onExitCodes[0]": Too small: expected number to be >=1',
    ],
    [
      withJob(builtin, "concurrency: 0"),
      'job "deploy", field "concurrency": Too small: expected number to be >=1',
    ],
    [
      withJob(builtin, "pool: Big Pool"),
      'job "deploy", field "pool": pool must be lower-case letters, digits, _ or -',
    ],
    [
      withJob(builtin, "access: { roles: [Dev] }"),
      'job "deploy", field "access.roles[0]": a name is a lower-case letter, then letters, digits, _ . or - (at most 64)',
    ],
    [withJob(builtin, "access: {}"), 'job "deploy", field "access": names no role and no user'],
    [
      withJob(builtin, "approval: { required: 0 }"),
      'job "deploy", field "approval.required": required must be at least 1',
    ],
    [
      withJob(builtin, "approval: { expiresAfter: 5x }"),
      'job "deploy", field "approval.expiresAfter": a duration is a whole number then s, m, h or d (90s, 30m, 24h, 7d)',
    ],
    [
      withJob(builtin, "approval: { escalateAfter: 10m }"),
      'job "deploy", field "approval.escalateTo": escalateAfter needs escalateTo: whom to escalate to',
    ],
    [
      withJob(builtin, "approval: { autoApprove: true, confirmCode: true }"),
      'job "deploy", field "approval.confirmCode": autoApprove leaves no approval to configure: drop confirmCode',
    ],
    [
      withJob(builtin, "approval: { quorum: 2 }"),
      'job "deploy", field "approval": unknown field "quorum"',
    ],
    [withJob(builtin, "timeoutSecond: 5"), 'job "deploy": unknown field "timeoutSecond"'],
    [withJob(), 'job "deploy", field "executor": missing'],
    [
      "jobs:\n  Deploy!:\n    description: x\n    executor: { kind: builtin, name: demo }",
      'job "Deploy!": not a valid job name (lower-case letters, digits, _ . or -, at most 64)',
    ],
    ["jobs: {}", 'field "jobs": the catalog defines no jobs'],
    ["job: {}", 'unknown field "job"'],
    ["jobs:\n  a: 1\n  a: 2", "line 3, column 3: not valid YAML: Map keys must be unique"],
  ] as const)("%j is refused: %s", ([text, error]) => {
    const parsed = parseCatalog(text, FILE);

    expect(parsed.ok ? [] : parsed.errors).toContain(`${FILE}: ${error}`);
  });

  test("every error is reported, not only the first", () => {
    const text = [
      "jobs:",
      "  a: { description: A, executor: { kind: builtin, name: demo }, concurrency: 0 }",
      "  b: { description: B, executor: { kind: nope } }",
    ].join("\n");

    const parsed = parseCatalog(text, FILE);

    expect(parsed.ok ? [] : parsed.errors).toEqual([
      `${FILE}: job "a", field "concurrency": Too small: expected number to be >=1`,
      `${FILE}: job "b", field "executor.kind": kind must be one of shell, http, builtin`,
    ]);
  });
});
