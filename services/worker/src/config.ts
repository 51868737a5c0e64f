import { PoolName } from "@textops/contracts";
import {
  configLoader,
  instanceId,
  DISPATCH_SECRET_VARIABLE,
  SERVICE_VARIABLES,
  variable,
} from "@textops/runtime";
import { z } from "zod";
import { DEFAULT_EXECUTOR_KINDS, parseExecutorKinds } from "./executors/select-executor.js";

/** A comma-separated list, blanks around items ignored. */
const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/**
 * Reads the worker's configuration from the environment, once, at start-up.
 * MongoDB is where attempts are claimed, so a dispatch published twice runs once.
 */
export const loadConfig = configLoader({
  ...SERVICE_VARIABLES,
  workerId: variable("WORKER_ID", instanceId()),
  concurrency: variable("WORKER_CONCURRENCY", z.coerce.number().int().min(1).max(1000).default(1)),
  /** The pools whose dispatch queues this worker takes jobs from. */
  pools: variable(
    "WORKER_POOLS",
    z
      .string()
      .default("default")
      .transform((text, context) => {
        const pools = list(text);
        if (pools.length === 0) context.addIssue({ code: "custom", message: "names no pool" });
        for (const pool of pools) {
          const why = PoolName.safeParse(pool).error?.issues[0]?.message;
          if (why !== undefined) context.addIssue({ code: "custom", message: `"${pool}": ${why}` });
        }
        return pools;
      }),
  ),
  /** The executor kinds this worker runs; shell only when asked for. */
  executorKinds: variable(
    "WORKER_EXECUTORS",
    z
      .string()
      .default(DEFAULT_EXECUTOR_KINDS.join(","))
      .transform((text, context) => {
        const parsed = parseExecutorKinds(text);
        if (parsed.ok) return parsed.kinds;
        context.addIssue({ code: "custom", message: parsed.reason });
        return z.NEVER;
      }),
  ),
  /** Verifies dispatches; the orchestrator signs them with the same value. */
  dispatchSecret: DISPATCH_SECRET_VARIABLE,
  heartbeatSeconds: variable("HEARTBEAT_SECONDS", z.coerce.number().positive().default(5)),
  shutdownGraceSeconds: variable("SHUTDOWN_GRACE_SECONDS", z.coerce.number().min(0).default(30)),
  /** After SIGTERM, how long a cancelled or timed-out shell job's process group has before SIGKILL. */
  killGraceSeconds: variable("KILL_GRACE_SECONDS", z.coerce.number().min(0).max(300).default(10)),
  demoDelayMs: variable("DEMO_DELAY_MS", z.coerce.number().int().min(0).default(1000)),
});

export type WorkerConfig = ReturnType<typeof loadConfig>;

/** Every environment variable this service reads. */
export const ENV_VARIABLES = loadConfig.variables;
