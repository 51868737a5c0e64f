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

export const TERMINAL_STATUSES: readonly RunStatus[] = [
  "Succeeded",
  "Failed",
  "Denied",
  "Expired",
  "Cancelled",
  "TimedOut",
];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
