import { hostname } from "node:os";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** An unset variable and an empty one mean the same: use the default. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const EnvSchema = z.object({
  AMQP_URL: z.preprocess(
    unsetIfEmpty,
    z.url({ protocol: /^amqps?$/ }).default("amqp://guest:guest@127.0.0.1:5672"),
  ),
  MONGO_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, "expected a mongodb:// URL")
      .default("mongodb://127.0.0.1:27017/?retryWrites=false"),
  ),
  MONGO_DB: z.preprocess(unsetIfEmpty, z.string().min(1).max(63).default("textops")),
  WORKER_ID: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .max(200)
      .default(() => `${hostname()}-${process.pid}`),
  ),
  WORKER_CONCURRENCY: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(1000).default(1),
  ),
  HEARTBEAT_SECONDS: z.preprocess(unsetIfEmpty, z.coerce.number().positive().default(5)),
  SHUTDOWN_GRACE_SECONDS: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).default(30)),
  DEMO_DELAY_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(1000)),
  LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(LOG_LEVELS).default("info")),
});

export interface WorkerConfig {
  amqpUrl: string;
  /** Where attempts are claimed, so a dispatch published twice runs once. */
  mongoUrl: string;
  mongoDb: string;
  workerId: string;
  concurrency: number;
  heartbeatSeconds: number;
  shutdownGraceSeconds: number;
  demoDelayMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** A configuration value the worker cannot start with; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads the worker's configuration from the environment, once, at start-up. */
export function loadConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `${name}: ${issue.message} (got ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  return {
    amqpUrl: e.AMQP_URL,
    mongoUrl: e.MONGO_URL,
    mongoDb: e.MONGO_DB,
    workerId: e.WORKER_ID,
    concurrency: e.WORKER_CONCURRENCY,
    heartbeatSeconds: e.HEARTBEAT_SECONDS,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    demoDelayMs: e.DEMO_DELAY_MS,
    logLevel: e.LOG_LEVEL,
  };
}

/** Every environment variable this service reads. */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape);
