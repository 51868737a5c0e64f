import { z } from "zod";
import { JobKey, JobParameter, RunId } from "./primitives.js";

const RunJob = z.object({
  type: z.literal("RunJob"),
  jobKey: JobKey,
  parameters: z.array(JobParameter),
});
/** `code`: the confirm code the approval request gave this approver, upper-cased, when the reply carries one. */
const ApproveRun = z.object({
  type: z.literal("ApproveRun"),
  runId: RunId,
  code: z
    .string()
    .regex(/^[A-Z0-9]{1,16}$/)
    .optional(),
});
const DenyRun = z.object({ type: z.literal("DenyRun"), runId: RunId });
const StatusQuery = z.object({ type: z.literal("StatusQuery"), runId: RunId });
const CancelRun = z.object({ type: z.literal("CancelRun"), runId: RunId });
const RunLogs = z.object({ type: z.literal("RunLogs"), runId: RunId });
const Help = z.object({ type: z.literal("Help") });
const ListJobs = z.object({ type: z.literal("ListJobs") });
const JobHelp = z.object({ type: z.literal("JobHelp"), jobKey: JobKey });
const Unknown = z.object({ type: z.literal("Unknown"), reason: z.string() });

/** What a text means, as the parser reads it. */
export const ParsedIntent = z.discriminatedUnion("type", [
  RunJob,
  ApproveRun,
  DenyRun,
  StatusQuery,
  CancelRun,
  RunLogs,
  Help,
  ListJobs,
  JobHelp,
  Unknown,
]);
export type ParsedIntent = z.infer<typeof ParsedIntent>;
export type IntentType = ParsedIntent["type"];
