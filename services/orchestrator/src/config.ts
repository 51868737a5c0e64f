import {
  configLoader,
  instanceId,
  DISPATCH_SECRET_VARIABLE,
  SERVICE_VARIABLES,
  USERS_FILE_VARIABLE,
  variable,
} from "@textops/runtime";
import { z } from "zod";

const seconds = (min: number, fallback: number) => z.coerce.number().min(min).default(fallback);

/** How long a dispatch may wait for a worker of its pool before the requester is told. */
export const DEFAULT_DISPATCH_WAIT_NOTICE_SECONDS = 60;

/** Reads the orchestrator's configuration from the environment, once, at start-up. */
export const loadConfig = configLoader({
  ...SERVICE_VARIABLES,
  orchestratorId: variable("ORCHESTRATOR_ID", instanceId()),
  /** Messages of orchestrator.input in flight at once. */
  prefetch: variable("PREFETCH", z.coerce.number().int().min(1).max(1000).default(100)),
  approvalTtlSeconds: variable(
    "APPROVAL_TTL_SECONDS",
    z.coerce
      .number()
      .int()
      .min(1)
      .default(24 * 60 * 60),
  ),
  sweepIntervalSeconds: variable("SWEEP_INTERVAL_SECONDS", seconds(0.1, 5)),
  outboxRepublishAgeSeconds: variable("OUTBOX_REPUBLISH_AGE_SECONDS", seconds(0, 5)),
  /** A run whose dispatch no worker of its pool has taken this long is told about, once per attempt. */
  dispatchWaitNoticeSeconds: variable(
    "DISPATCH_WAIT_NOTICE_SECONDS",
    seconds(1, DEFAULT_DISPATCH_WAIT_NOTICE_SECONDS),
  ),
  /** Signs dispatches; every worker holds the same value. No default: production must choose one. */
  dispatchSecret: DISPATCH_SECRET_VARIABLE,
  /** The job catalog, relative to the working directory. */
  jobsFile: variable("JOBS_FILE", z.string().min(1).default("config/jobs.yaml")),
  /** The directory of people (default config/users.yaml); without one, open mode. */
  usersFile: USERS_FILE_VARIABLE,
});

export type OrchestratorConfig = ReturnType<typeof loadConfig>;

/** Every environment variable this service reads. */
export const ENV_VARIABLES = loadConfig.variables;
