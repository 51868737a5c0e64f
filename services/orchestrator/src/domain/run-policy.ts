import type { JobDefinition } from "@textops/contracts";
import type { RunPolicyInput } from "./create-run.js";
import type { PeopleContext } from "./decide-under-policy.js";
import { peopleTexts } from "./people-notices.js";
import {
  escalationDueAt,
  expiryOf,
  mayRequest,
  policyTexts,
  resolveApprovers,
  resolveEscalation,
} from "./policy/index.js";
import type { Person } from "./requester.js";

export type RequestPolicy = { ok: true; policy: RunPolicyInput } | { ok: false; reply: string };

/**
 * Whether `person` may ask for this job, and if so who will approve the run:
 * refused when its policy's access leaves them out, or when fewer people may
 * approve than it needs (such a run could never start). Escalation is kept
 * only when it comes before the run expires.
 */
export function policyForRequest(
  people: PeopleContext,
  jobKey: string,
  job: JobDefinition,
  person: Person,
  now: number,
  approvalTtlSeconds: number,
): RequestPolicy {
  const may = mayRequest(job.access, person);
  if (!may.ok) return { ok: false, reply: policyTexts.mayNotRun(jobKey, may.reason) };
  const { roster } = people;
  if (job.approval?.autoApprove === true)
    return { ok: true, policy: { approvers: [], escalation: null, ...people } };
  const approvers = resolveApprovers(job.approval, roster, person.id);
  const required = job.approval?.required ?? 1;
  if (approvers.length < required) {
    return { ok: false, reply: peopleTexts.noApprovers(jobKey, required, approvers.length) };
  }
  const expiry = expiryOf(job.approval, approvalTtlSeconds, now);
  const at = escalationDueAt(job.approval, now);
  const escalation =
    at !== null && at < expiry
      ? { at, to: resolveEscalation(job.approval, roster, person.id, approvers) }
      : null;
  return { ok: true, policy: { approvers, escalation, ...people } };
}

/** The jobs `person` may ask for: what `jobs` lists in closed mode. */
export function jobsFor<T extends Pick<JobDefinition, "access">>(
  jobs: ReadonlyMap<string, T>,
  person: Person,
): Map<string, T> {
  return new Map([...jobs].filter(([, job]) => mayRequest(job.access, person).ok));
}
