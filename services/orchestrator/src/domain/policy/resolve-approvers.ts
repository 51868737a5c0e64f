import type { ApprovalPolicy, PeopleSelector } from "@textops/contracts";
import { selects, type PeopleView, type PolicyPerson } from "./policy-person.js";

/**
 * The ids of the people who may approve a run asked for by `requesterId`, in
 * the directory's order, each once: those `approvers` names (absent, everyone
 * in the directory), the requester left out unless `allowSelfApproval`. It
 * may hold fewer than `required`: the caller decides what a run that can
 * never be approved becomes.
 */
export function resolveApprovers(
  approval: ApprovalPolicy | undefined,
  people: PeopleView,
  requesterId: string,
): string[] {
  return eligible(people.people(), approval?.approvers, {
    requesterId,
    allowSelfApproval: approval?.allowSelfApproval ?? false,
    already: [],
  });
}

/**
 * The ids escalation adds to `already` (the approvers so far): those
 * `escalateTo` names who are not among them, the requester left out unless
 * `allowSelfApproval`. None when the policy has no escalation.
 */
export function resolveEscalation(
  approval: ApprovalPolicy | undefined,
  people: PeopleView,
  requesterId: string,
  already: readonly string[],
): string[] {
  if (approval?.escalateTo === undefined) return [];
  return eligible(people.people(), approval.escalateTo, {
    requesterId,
    allowSelfApproval: approval.allowSelfApproval,
    already,
  });
}

interface Exclusions {
  requesterId: string;
  allowSelfApproval: boolean;
  already: readonly string[];
}

function eligible(
  everyone: readonly PolicyPerson[],
  selector: PeopleSelector | undefined,
  { requesterId, allowSelfApproval, already }: Exclusions,
): string[] {
  const ids = new Set<string>();
  for (const person of everyone) {
    if (selector !== undefined && !selects(selector, person)) continue;
    if (person.id === requesterId && !allowSelfApproval) continue;
    if (already.includes(person.id)) continue;
    ids.add(person.id);
  }
  return [...ids];
}
