import { configLoader, instanceId, SERVICE_VARIABLES, variable } from "@textops/runtime";
import { z } from "zod";

/**
 * Reads the worker's configuration from the environment, once, at start-up.
 * MongoDB is where attempts are claimed, so a dispatch published twice runs once.
 */
export const loadConfig = configLoader({
  ...SERVICE_VARIABLES,
  workerId: variable("WORKER_ID", instanceId()),
  concurrency: variable("WORKER_CONCURRENCY", z.coerce.number().int().min(1).max(1000).default(1)),
  heartbeatSeconds: variable("HEARTBEAT_SECONDS", z.coerce.number().positive().default(5)),
  shutdownGraceSeconds: variable("SHUTDOWN_GRACE_SECONDS", z.coerce.number().min(0).default(30)),
  demoDelayMs: variable("DEMO_DELAY_MS", z.coerce.number().int().min(0).default(1000)),
});

export type WorkerConfig = ReturnType<typeof loadConfig>;

/** Every environment variable this service reads. */
export const ENV_VARIABLES = loadConfig.variables;
