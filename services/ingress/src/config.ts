import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** An unset variable and an empty one mean the same: use the default. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema);
const milliseconds = (fallback: number) =>
  optional(z.coerce.number().int().min(1).max(600_000).default(fallback));

const EnvSchema = z.object({
  PORT: optional(z.coerce.number().int().min(0).max(65_535).default(5048)),
  HOST: optional(z.string().default("0.0.0.0")),
  AMQP_URL: optional(z.url({ protocol: /^amqps?$/ }).default("amqp://guest:guest@127.0.0.1:5672")),
  MONGO_URL: optional(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, "expected a mongodb:// URL")
      .default("mongodb://127.0.0.1:27017/?retryWrites=false"),
  ),
  MONGO_DB: optional(
    z
      .string()
      .regex(/^[^/\\. "$]{1,63}$/, "expected a database name")
      .default("textops"),
  ),
  REPLY_TIMEOUT_MS: milliseconds(5000),
  PUBLISH_TIMEOUT_MS: milliseconds(2000),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS).default("info")),
});

export interface IngressConfig {
  port: number;
  host: string;
  amqpUrl: string;
  mongoUrl: string;
  mongoDb: string;
  /** How long POST /dev/inbound waits for the orchestrator's answer after the broker confirmed. */
  replyTimeoutMs: number;
  /** How long a publish may wait for the broker's confirm before the request gets a 503. */
  publishTimeoutMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** A configuration value ingress cannot start with; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Variables whose values may hold credentials: never echoed in an error. */
const SECRET = new Set(["AMQP_URL", "MONGO_URL"]);

/** Reads ingress's configuration from the environment, once, at start-up. */
export function loadConfig(env: Record<string, string | undefined>): IngressConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      const got = SECRET.has(name) ? "" : ` (got ${JSON.stringify(env[name])})`;
      return `${name}: ${issue.message}${got}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    amqpUrl: e.AMQP_URL,
    mongoUrl: e.MONGO_URL,
    mongoDb: e.MONGO_DB,
    replyTimeoutMs: e.REPLY_TIMEOUT_MS,
    publishTimeoutMs: e.PUBLISH_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
  };
}

/** Every environment variable this service reads. */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape);
