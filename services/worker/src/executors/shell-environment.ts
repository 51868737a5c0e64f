import type { ExecutorContext } from "./job-executor.js";

/** All a shell job gets of the worker's environment, which holds DISPATCH_SECRET and broker URLs. */
const PASSED_THROUGH = ["PATH", "HOME", "LANG", "TZ"] as const;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A shell job's whole environment: PATH, HOME, LANG and TZ from `worker`
 * when set there, the run's identity, and each parameter as
 * `TEXTOPS_PARAM_<NAME>` holding exactly its value as text.
 */
export function shellEnvironment(
  ctx: Pick<ExecutorContext, "runId" | "jobKey" | "attempt" | "parameters">,
  worker: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = worker[name];
    if (value !== undefined) env[name] = value;
  }
  env["TEXTOPS_RUN_ID"] = ctx.runId;
  env["TEXTOPS_JOB"] = ctx.jobKey;
  env["TEXTOPS_ATTEMPT"] = String(ctx.attempt);
  for (const { name, value } of ctx.parameters) {
    // The catalog allows only such names; a dispatch is checked here again, as it reaches a process.
    if (!VARIABLE_NAME.test(name)) {
      throw new Error(`parameter "${name}" cannot be passed as an environment variable`);
    }
    const text = String(value);
    if (text.includes("\0")) throw new Error(`parameter ${name} holds a NUL character`);
    env[`TEXTOPS_PARAM_${name.toUpperCase()}`] = text;
  }
  return env;
}
