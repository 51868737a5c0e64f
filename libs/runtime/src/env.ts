import { hostname } from "node:os";
import { z } from "zod";
import { maskCredentials, showSecret } from "@textops/messaging";

/** The environment as `process.env` gives it. */
export type Env = Record<string, string | undefined>;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A configuration value a service cannot start with; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** One environment variable: its name, its schema, whether its value may hold credentials. */
export interface Variable<T extends z.ZodType = z.ZodType> {
  name: string;
  schema: T;
  /** An error shows a secret's value only as a URL with its credentials masked. */
  secret: boolean;
}

export function variable<T extends z.ZodType>(name: string, schema: T): Variable<T> {
  return { name, schema, secret: false };
}

/** A variable whose value may hold credentials (a URL with a password, a token). */
export function secretVariable<T extends z.ZodType>(name: string, schema: T): Variable<T> {
  return { name, schema, secret: true };
}

/** A configuration's fields, each read from its variable. */
export type ConfigShape = Record<string, Variable>;
export type ConfigOf<S extends ConfigShape> = { [K in keyof S]: z.output<S[K]["schema"]> };

export interface ConfigLoader<S extends ConfigShape> {
  (env: Env): ConfigOf<S>;
  /** Every environment variable it reads. */
  variables: string[];
}

/** An unset variable and an empty one mean the same: use the default. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

/** `(got "…")` after a problem: the value, with any credentials masked; a secret that is no URL, not at all. */
function got(variable: Variable | undefined, value: string | undefined): string {
  if (value === undefined) return "";
  const shown = variable?.secret ? showSecret(value) : maskCredentials(value);
  return shown === undefined ? "" : ` (got ${JSON.stringify(shown)})`;
}

/**
 * The function that reads a configuration of this shape from the
 * environment, an empty variable as unset. A bad value throws a ConfigError
 * naming every bad variable, with its value unless that would show a secret.
 */
export function configLoader<S extends ConfigShape>(shape: S): ConfigLoader<S> {
  const variables = Object.values(shape);
  const byName = new Map(variables.map((v) => [v.name, v]));
  const schema = z.object(
    Object.fromEntries(variables.map((v) => [v.name, z.preprocess(unsetIfEmpty, v.schema)])),
  );
  function loadConfig(env: Env): ConfigOf<S> {
    const parsed = schema.safeParse(env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const name = issue.path.join(".");
        return `${name}: ${issue.message}${got(byName.get(name), env[name])}`;
      });
      throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
    }
    const values: Record<string, unknown> = parsed.data;
    const fields = Object.entries(shape).map(([field, v]) => [field, values[v.name]]);
    return Object.fromEntries(fields) as ConfigOf<S>;
  }
  return Object.assign(loadConfig, { variables: variables.map((v) => v.name) });
}

/** What every service reads: where RabbitMQ and MongoDB are, and how much to log. */
export const SERVICE_VARIABLES = {
  amqpUrl: secretVariable(
    "AMQP_URL",
    z.url({ protocol: /^amqps?$/ }).default("amqp://guest:guest@127.0.0.1:5672"),
  ),
  mongoUrl: secretVariable(
    "MONGO_URL",
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, "expected a mongodb:// URL")
      .default("mongodb://127.0.0.1:27017/?retryWrites=false"),
  ),
  mongoDb: variable(
    "MONGO_DB",
    z
      .string()
      .regex(/^[^/\\. "$]{1,63}$/, "expected a database name")
      .default("textops"),
  ),
  logLevel: variable("LOG_LEVEL", z.enum(LOG_LEVELS).default("info")),
};

export type ServiceConfig = ConfigOf<typeof SERVICE_VARIABLES>;

/** A replica's name (`WORKER_ID`, `ORCHESTRATOR_ID`): given, or the host's name and the process id. */
export const instanceId = () =>
  z
    .string()
    .max(200)
    .default(() => `${hostname()}-${process.pid}`);

/** The secret the orchestrator signs dispatches with and every worker verifies them with. */
export const DISPATCH_SECRET_VARIABLE = secretVariable(
  "DISPATCH_SECRET",
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "is not set; give the orchestrator and every worker the same secret"
          : undefined,
    })
    .min(16, "must be at least 16 characters"),
);
