import type { JobParameter } from "@textops/contracts";
import type { Logger } from "pino";

export interface ExecutorContext {
  parameters: JobParameter[];
  /** Aborted on timeout, on cancel and at the shutdown deadline; executors stop promptly. */
  signal: AbortSignal;
  log: Logger;
}

export interface ExecutorResult {
  summary: string;
}

/** Runs one job. Resolving means Succeeded; throwing means Failed with the error's message. */
export type JobExecutor = (ctx: ExecutorContext) => Promise<ExecutorResult>;

/** The value of a named parameter, or undefined when it was not given. */
export function parameter(parameters: JobParameter[], name: string): string | undefined {
  return parameters.find((p) => p.name === name)?.value;
}
