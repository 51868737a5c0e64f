import { hostname } from "node:os";
import { z } from "zod";
import { maskCredentials, showSecret } from "./secrets.js";

/** The environment as `process.env` gives it. */
export type Env = Record<string, string | undefined>;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A configuration value a service cannot start with; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The schemas of variables whose values may hold credentials. */
const secrets = new WeakSet<z.ZodType>();

/** Marks a variable whose value may hold credentials: an error shows it only as a URL, masked. */
export function secret<T extends z.ZodType>(schema: T): T {
  secrets.add(schema);
  return schema;
}

/** One schema per variable, by the variable's name. */
export type EnvShape = Record<string, z.ZodType>;
export type EnvValues<S extends EnvShape> = { [K in keyof S]: z.output<S[K]> };

/** An unset variable and an empty one mean the same: use the default. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

/** `(got "…")` after a problem: the value, with any credentials masked; a secret that is no URL, not at all. */
function got(schema: z.ZodType | undefined, value: string | undefined): string {
  if (value === undefined) return "";
  const shown = schema && secrets.has(schema) ? showSecret(value) : maskCredentials(value);
  return shown === undefined ? "" : ` (got ${JSON.stringify(shown)})`;
}

/**
 * Reads the variables of `shape` from the environment, an empty one as unset.
 * A bad value throws a ConfigError naming every bad variable, with its value
 * unless that would show a secret.
 */
export function readEnv<S extends EnvShape>(shape: S, env: Env): EnvValues<S> {
  const schemas = Object.entries(shape).map(([name, schema]) => [
    name,
    z.preprocess(unsetIfEmpty, schema),
  ]);
  const parsed = z.object(Object.fromEntries(schemas) as EnvShape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `${name}: ${issue.message}${got(shape[name], env[name])}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data as EnvValues<S>;
}

/** What every service reads: where RabbitMQ and MongoDB are, and how much to log. */
export const SERVICE_ENV = {
  AMQP_URL: secret(z.url({ protocol: /^amqps?$/ }).default("amqp://guest:guest@127.0.0.1:5672")),
  MONGO_URL: secret(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, "expected a mongodb:// URL")
      .default("mongodb://127.0.0.1:27017/?retryWrites=false"),
  ),
  MONGO_DB: z
    .string()
    .regex(/^[^/\\. "$]{1,63}$/, "expected a database name")
    .default("textops"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
};

export interface ServiceConfig {
  amqpUrl: string;
  mongoUrl: string;
  mongoDb: string;
  logLevel: LogLevel;
}

/** The part of a service's configuration that SERVICE_ENV reads. */
export function serviceConfig(values: EnvValues<typeof SERVICE_ENV>): ServiceConfig {
  return {
    amqpUrl: values.AMQP_URL,
    mongoUrl: values.MONGO_URL,
    mongoDb: values.MONGO_DB,
    logLevel: values.LOG_LEVEL,
  };
}

/** A replica's name (`WORKER_ID`, `ORCHESTRATOR_ID`): given, or the host's name and the process id. */
export const instanceId = () =>
  z
    .string()
    .max(200)
    .default(() => `${hostname()}-${process.pid}`);
