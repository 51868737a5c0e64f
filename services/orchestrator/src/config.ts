import { hostname } from "node:os";
import { z } from "zod";

export const Config = z.object({
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default("amqp://guest:guest@127.0.0.1:5672"),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, "expected a mongodb:// URL")
    .default("mongodb://127.0.0.1:27017/?retryWrites=false"),
  MONGO_DB: z.string().default("textops"),
  ORCHESTRATOR_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  PREFETCH: z.coerce.number().int().min(1).max(1000).default(100),
  APPROVAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 60 * 60),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().min(0.1).default(5),
  OUTBOX_REPUBLISH_AGE_SECONDS: z.coerce.number().min(0).default(5),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Config = z.infer<typeof Config>;

/** Reads the environment once; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** Every environment variable this service reads. */
export const ENV_VARIABLES = Object.keys(Config.shape);
