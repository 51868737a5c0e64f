import type { ExecutorKind, JobDefinition } from "@textops/contracts";
import { httpExecutor } from "./http.executor.js";
import type { JobExecutor } from "./job-executor.js";
import type { ExecutorRegistry } from "./registry.js";
import { shellExecutor } from "./shell.executor.js";

const EXECUTOR_KINDS: readonly ExecutorKind[] = ["builtin", "http", "shell"];

/** What a worker runs unless told otherwise: shell jobs only where someone chose to allow them. */
export const DEFAULT_EXECUTOR_KINDS: readonly ExecutorKind[] = ["builtin", "http"];

export interface ExecutorDeps {
  /** The kinds this worker runs (WORKER_EXECUTORS). */
  allowed: ReadonlySet<ExecutorKind>;
  builtins: ExecutorRegistry;
  /** The worker's environment: HTTP jobs' secrets, and PATH, HOME, LANG, TZ for shell jobs. */
  env: Readonly<Record<string, string | undefined>>;
  killGraceMs: number;
}

export type ExecutorChoice = { ok: true; executor: JobExecutor } | { ok: false; reason: string };

/** The executor for a dispatched job, or why this worker will not run it (for the completion notice). */
export function selectExecutor(job: JobDefinition, deps: ExecutorDeps): ExecutorChoice {
  const definition = job.executor;
  if (!deps.allowed.has(definition.kind)) {
    const allowed = EXECUTOR_KINDS.filter((kind) => deps.allowed.has(kind)).join(",");
    return refuse(`this worker does not run ${definition.kind} jobs (WORKER_EXECUTORS=${allowed})`);
  }
  switch (definition.kind) {
    case "builtin": {
      const executor = deps.builtins.get(definition.name);
      return executor ? { ok: true, executor } : refuse(`no built-in job "${definition.name}"`);
    }
    case "http": {
      const secret = deps.env[definition.secretEnv];
      if (secret === undefined || secret === "") {
        return refuse(`the secret ${definition.secretEnv} is not set on this worker`);
      }
      const timeoutMs = job.timeoutSeconds * 1000;
      return { ok: true, executor: httpExecutor(definition, { secret, timeoutMs }) };
    }
    case "shell": {
      const options = {
        onExitCodes: job.retry.onExitCodes,
        killGraceMs: deps.killGraceMs,
        baseEnv: deps.env,
      };
      return { ok: true, executor: shellExecutor(definition, options) };
    }
  }
}

function refuse(reason: string): ExecutorChoice {
  return { ok: false, reason };
}

export type ExecutorKindsParse =
  { ok: true; kinds: ReadonlySet<ExecutorKind> } | { ok: false; reason: string };

/** `builtin,http` (WORKER_EXECUTORS) as a set of kinds; names the first unknown one. */
export function parseExecutorKinds(text: string): ExecutorKindsParse {
  const names = text
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  if (names.length === 0) {
    return { ok: false, reason: `lists no executor kind (known: ${EXECUTOR_KINDS.join(", ")})` };
  }
  const unknown = names.find((name) => !isExecutorKind(name));
  if (unknown !== undefined) {
    return {
      ok: false,
      reason: `unknown executor kind "${unknown}" (known: ${EXECUTOR_KINDS.join(", ")})`,
    };
  }
  return { ok: true, kinds: new Set(names.filter(isExecutorKind)) };
}

function isExecutorKind(name: string): name is ExecutorKind {
  return (EXECUTOR_KINDS as readonly string[]).includes(name);
}
