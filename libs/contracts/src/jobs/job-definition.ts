import { z } from "zod";
import { ExecutorDefinition } from "./executor-definition.js";
import { ParameterDefinition, ParameterName } from "./parameter-definition.js";
import { AccessPolicy, ApprovalPolicy } from "./policy-definition.js";

/** Jobs nobody gave a timeout may run five minutes, as before the catalog. */
export const DEFAULT_TIMEOUT_SECONDS = 300;

export const RetryPolicy = z.strictObject({
  /** Attempts in all, the first included. */
  maxAttempts: z.int().min(1).max(100).default(3),
  /** Run again after its worker was lost mid-job: only for jobs safe to run twice. */
  onWorkerLoss: z.boolean().default(false),
  /** A shell job's exit codes that mean "try again later". */
  onExitCodes: z.array(z.int().min(1).max(255)).default([]),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** A pool's name becomes part of its dispatch queue's name. */
export const PoolName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "pool must be lower-case letters, digits, _ or -")
  // worker.dispatch.dead is the default pool's dead-letter queue.
  .refine((name) => name !== "dead", "pool may not be named dead");

/** The pool a job without one is taken by: the queue worker.dispatch. */
export const DEFAULT_POOL = "default";

/** One job of the catalog, as a run records it. */
export const JobDefinition = z
  .strictObject({
    description: z.string().min(1),
    parameters: z.record(ParameterName, ParameterDefinition).default({}),
    executor: ExecutorDefinition,
    timeoutSeconds: z
      .int()
      .min(1)
      .max(7 * 24 * 60 * 60)
      .default(DEFAULT_TIMEOUT_SECONDS),
    retry: RetryPolicy.prefault({}),
    /** At most this many runs of the job executing at once; no limit when absent. */
    concurrency: z.int().min(1).optional(),
    pool: PoolName.default(DEFAULT_POOL),
    /** Who may ask for it; absent, anyone in the directory. */
    access: AccessPolicy.optional(),
    /** Who must approve a run of it; absent, one person of the directory other than the requester. */
    approval: ApprovalPolicy.optional(),
  })
  .superRefine((job, context) => {
    // Names reach a shell job upper-cased (TEXTOPS_PARAM_<NAME>): two must not become one.
    const seen = new Map<string, string>();
    for (const name of Object.keys(job.parameters)) {
      const other = seen.get(name.toUpperCase());
      if (other !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["parameters", name],
          message: `differs from parameter "${other}" only in case`,
        });
      }
      seen.set(name.toUpperCase(), name);
    }
  });
export type JobDefinition = z.infer<typeof JobDefinition>;
