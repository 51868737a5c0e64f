import { z } from "zod";

export const RunStatus = z.enum([
  "Created",
  "AwaitingApproval",
  "Dispatching",
  "Running",
  "Succeeded",
  "Failed",
  "Denied",
  "Expired",
  "Cancelled",
  "TimedOut",
]);
export type RunStatus = z.infer<typeof RunStatus>;

/** Where a run ends: every status but the four a run passes through. */
export const TERMINAL_STATUSES: readonly RunStatus[] = RunStatus.exclude([
  "Created",
  "AwaitingApproval",
  "Dispatching",
  "Running",
]).options;

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
