import { z } from "zod";
import { NAME_PATTERN } from "../people/person-id.js";

/*
 * A job's policies, as the catalog writes them: who may ask for it (`access`)
 * and who must approve a run of it, how many, how soon (`approval`).
 * Durations stay strings (`30m`), so a run records its definition as written.
 */

/** A role's or a person's name, by the directory's rule for them. */
export const PolicyName = z
  .string()
  .regex(
    NAME_PATTERN,
    "a name is a lower-case letter, then letters, digits, _ . or - (at most 64)",
  );

/** Some people of the directory: those with one of `roles`, and those named in `users`. */
export const PeopleSelector = z
  .strictObject({
    roles: z.array(PolicyName).optional(),
    users: z.array(PolicyName).optional(),
  })
  .refine(
    (selector) => (selector.roles?.length ?? 0) + (selector.users?.length ?? 0) > 0,
    "names no role and no user",
  );
export type PeopleSelector = z.infer<typeof PeopleSelector>;

/** Who may ask for a job; absent, anyone in the directory. */
export const AccessPolicy = PeopleSelector;
export type AccessPolicy = PeopleSelector;

const UNIT_SECONDS = { s: 1, m: 60, h: 60 * 60, d: 24 * 60 * 60 } as const;
const DURATION = /^(\d{1,8})([smhd])$/;
export const MAX_DURATION_SECONDS = 30 * UNIT_SECONDS.d;

/** The seconds `text` stands for, or why it stands for none. */
function readDuration(text: string): number | string {
  const match = DURATION.exec(text);
  if (!match) return "a duration is a whole number then s, m, h or d (90s, 30m, 24h, 7d)";
  const [, count = "", unit = "s"] = match;
  const seconds = Number(count) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  if (seconds < 1) return "a duration is at least 1s";
  if (seconds > MAX_DURATION_SECONDS) return "a duration is at most 30d";
  return seconds;
}

/** `90s`, `30m`, `24h`, `7d` in seconds; throws a RangeError on anything else. */
export function parseDuration(text: string): number {
  const read = readDuration(text);
  if (typeof read === "string") throw new RangeError(`${JSON.stringify(text)}: ${read}`);
  return read;
}

/** A duration as written (`30m`), from 1 s to 30 days; `parseDuration` reads it. */
export const Duration = z.string().superRefine((text, context) => {
  const read = readDuration(text);
  if (typeof read === "string") context.addIssue({ code: "custom", message: read });
});
export type Duration = z.infer<typeof Duration>;

/** Who must approve a run of a job, how many of them, and how soon. */
export const ApprovalPolicy = z
  .strictObject({
    /** Absent: anyone in the directory. */
    approvers: PeopleSelector.optional(),
    /** Distinct people whose yes the run needs. */
    required: z
      .int({ error: "required must be a whole number" })
      .min(1, "required must be at least 1")
      .max(20, "required must be at most 20")
      .default(1),
    /** Whether the person who asked may be one of them. */
    allowSelfApproval: z.boolean().default(false),
    /** Absent: the orchestrator's APPROVAL_TTL_SECONDS. */
    expiresAfter: Duration.optional(),
    /** Still waiting this long after it was asked for, the request also goes to `escalateTo`. */
    escalateAfter: Duration.optional(),
    escalateTo: PeopleSelector.optional(),
    /** Each approver must repeat a code of their own, sent with their request. */
    confirmCode: z.boolean().default(false),
    /** Approved by the policy itself as it is asked for: for harmless jobs. */
    autoApprove: z.boolean().default(false),
  })
  .superRefine((approval, context) => {
    for (const [path, message] of conflicts(approval)) {
      context.addIssue({ code: "custom", path: [path], message });
    }
  });
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

/** The fields of a policy, each valid, that cannot hold together, and why. */
function conflicts(approval: z.infer<typeof ApprovalPolicy>): [string, string][] {
  const found: [string, string][] = [];
  const { escalateAfter, escalateTo, expiresAfter } = approval;
  if (escalateAfter !== undefined && escalateTo === undefined) {
    found.push(["escalateTo", "escalateAfter needs escalateTo: whom to escalate to"]);
  }
  if (escalateTo !== undefined && escalateAfter === undefined) {
    found.push(["escalateAfter", "escalateTo needs escalateAfter: when to escalate"]);
  }
  if (escalateAfter !== undefined && expiresAfter !== undefined) {
    const [escalate, expire] = [readDuration(escalateAfter), readDuration(expiresAfter)];
    if (typeof escalate === "number" && typeof expire === "number" && escalate >= expire) {
      found.push([
        "escalateAfter",
        `escalateAfter (${escalateAfter}) must be shorter than expiresAfter (${expiresAfter})`,
      ]);
    }
  }
  if (approval.autoApprove) {
    const configured = [
      approval.approvers !== undefined && "approvers",
      approval.required > 1 && "required",
      approval.allowSelfApproval && "allowSelfApproval",
      approval.confirmCode && "confirmCode",
      expiresAfter !== undefined && "expiresAfter",
      escalateAfter !== undefined && "escalateAfter",
      escalateTo !== undefined && "escalateTo",
    ].filter((field) => field !== false);
    for (const field of configured) {
      found.push([field, `autoApprove leaves no approval to configure: drop ${field}`]);
    }
  }
  return found;
}
