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
/** Bare `yes` / `no`: decide the single run waiting for the sender's decision. */
const DecidePending = z.object({
  type: z.literal("DecidePending"),
  decision: z.enum(["approve", "deny"]),
});
const WhoAmI = z.object({ type: z.literal("WhoAmI") });
/** The runs waiting for the sender's decision. */
const Pending = z.object({ type: z.literal("Pending") });
/** The sender's latest runs. */
const MyRuns = z.object({ type: z.literal("MyRuns") });
/** From a known address: a code to link another address with. */
const Link = z.object({ type: z.literal("Link") });
/** From the address to link: the code `link` gave. */
const LinkConfirm = z.object({
  type: z.literal("LinkConfirm"),
  code: z.string().regex(/^[0-9]{6}$/),
});
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
  DecidePending,
  WhoAmI,
  Pending,
  MyRuns,
  Link,
  LinkConfirm,
  Unknown,
]);
export type ParsedIntent = z.infer<typeof ParsedIntent>;
export type IntentType = ParsedIntent["type"];
