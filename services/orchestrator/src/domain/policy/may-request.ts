import type { AccessPolicy } from "@textops/contracts";
import { selects, type PolicyPerson } from "./policy-person.js";

export type RequestDecision = { ok: true } | { ok: false; reason: string };

/**
 * Whether `person`, who is in the directory (the caller answers senders who
 * are not), may ask for a job of this access policy; absent, anyone may.
 * The reason reads after "You may not run job …: ".
 */
export function mayRequest(
  access: AccessPolicy | undefined,
  person: PolicyPerson,
): RequestDecision {
  if (access === undefined || selects(access, person)) return { ok: true };
  return { ok: false, reason: `it is only for ${describeSelector(access)}` };
}

/** `roles dev, ops and user alice`: whom a selector names, for a sender to read. */
export function describeSelector(selector: AccessPolicy): string {
  const parts: string[] = [];
  const { roles = [], users = [] } = selector;
  if (roles.length > 0) parts.push(`${roles.length === 1 ? "role" : "roles"} ${roles.join(", ")}`);
  if (users.length > 0) parts.push(`${users.length === 1 ? "user" : "users"} ${users.join(", ")}`);
  return parts.join(" and ");
}
