import { JobDefinition, type ExecutorDefinition, type ExecutorKind } from "@textops/contracts";
import { afterEach, describe, expect, test } from "vitest";
import { anExecutorContext, RecordedOutput } from "./executor.fixtures.js";
import { startReceiver, type Receiver } from "./http-receiver.fixtures.js";
import { RetryableJobError, type JobExecutor } from "./job-executor.js";
import { builtInExecutors } from "./registry.js";
import {
  DEFAULT_EXECUTOR_KINDS,
  parseExecutorKinds,
  selectExecutor,
  type ExecutorDeps,
} from "./select-executor.js";

const aJob = (executor: ExecutorDefinition, fields: Record<string, unknown> = {}) =>
  JobDefinition.parse({ description: "a job", executor, ...fields });

const builtins = builtInExecutors({ demoDelayMs: 1 });
const deps = (fields: Partial<ExecutorDeps> = {}): ExecutorDeps => ({
  allowed: new Set<ExecutorKind>(["builtin", "http", "shell"]),
  builtins,
  env: { PATH: process.env["PATH"], DEPLOY_HOOK_SECRET: "hook-secret" },
  killGraceMs: 1_000,
  ...fields,
});

const chosen = (choice: ReturnType<typeof selectExecutor>): JobExecutor => {
  if (!choice.ok) throw new Error(`refused: ${choice.reason}`);
  return choice.executor;
};

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe(selectExecutor.name, () => {
  test("picks a built-in job by its name", () => {
    const choice = selectExecutor(aJob({ kind: "builtin", name: "echo" }), deps());

    expect(chosen(choice)).toBe(builtins.get("echo"));
  });

  test("refuses a built-in job it does not have", () => {
    expect(selectExecutor(aJob({ kind: "builtin", name: "nope" }), deps())).toEqual({
      ok: false,
      reason: 'no built-in job "nope"',
    });
  });

  test("refuses a kind this worker does not run, naming the kinds it does", () => {
    const job = aJob({ kind: "shell", command: ["true"] });

    expect(selectExecutor(job, deps({ allowed: new Set(DEFAULT_EXECUTOR_KINDS) }))).toEqual({
      ok: false,
      reason: "this worker does not run shell jobs (WORKER_EXECUTORS=builtin,http)",
    });
  });

  test.each([undefined, ""])(
    "refuses an HTTP job whose secret is %j, naming the variable",
    (value) => {
      const job = aJob({
        kind: "http",
        url: "http://127.0.0.1:9/",
        secretEnv: "DEPLOY_HOOK_SECRET",
      });

      expect(selectExecutor(job, deps({ env: { DEPLOY_HOOK_SECRET: value } }))).toEqual({
        ok: false,
        reason: "the secret DEPLOY_HOOK_SECRET is not set on this worker",
      });
    },
  );

  test("signs an HTTP job with the secret its variable holds, and gives it the job's timeout", async () => {
    receiver = await startReceiver("hook-secret", () => undefined); // verifies, never answers
    const job = aJob(
      { kind: "http", url: receiver.url, secretEnv: "DEPLOY_HOOK_SECRET" },
      { timeoutSeconds: 1 },
    );

    const failure = chosen(selectExecutor(job, deps()))(anExecutorContext());

    await expect(failure).rejects.toThrow(new RetryableJobError("no answer within 1 s"));
    expect(receiver.received).toHaveLength(1);
  });

  test("runs a shell job with the job's retryable exit codes and only PATH of the worker's env", async () => {
    const output = new RecordedOutput();
    const job = aJob(
      { kind: "shell", command: ["sh", "-c", "env; exit 75"] },
      { retry: { onExitCodes: [75] } },
    );

    const failure = chosen(selectExecutor(job, deps()))(anExecutorContext({ output }));

    await expect(failure).rejects.toBeInstanceOf(RetryableJobError);
    expect(output.text).toContain("PATH=");
    expect(output.text).not.toContain("hook-secret");
  });
});

describe(parseExecutorKinds.name, () => {
  test("reads a comma-separated list, spaces and case aside", () => {
    expect(parseExecutorKinds(" builtin, HTTP ,shell,")).toEqual({
      ok: true,
      kinds: new Set(["builtin", "http", "shell"]),
    });
  });

  test("refuses an unknown kind, naming it and the known ones", () => {
    expect(parseExecutorKinds("builtin,docker")).toEqual({
      ok: false,
      reason: 'unknown executor kind "docker" (known: builtin, http, shell)',
    });
  });

  test("refuses a list of nothing", () => {
    expect(parseExecutorKinds(" , ")).toEqual({
      ok: false,
      reason: "lists no executor kind (known: builtin, http, shell)",
    });
  });

  test("the default runs built-in and HTTP jobs, not shell ones", () => {
    expect(DEFAULT_EXECUTOR_KINDS).toEqual(["builtin", "http"]);
  });
});
