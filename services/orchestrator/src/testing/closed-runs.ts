import type { JobDefinition } from "@textops/contracts";
import { createRun } from "../domain/create-run.js";
import type { PeopleContext } from "../domain/decide-under-policy.js";
import type { Approver } from "../domain/decide-under-policy.js";
import { rosterOf } from "../domain/roster.js";
import { anApprovalPolicy } from "./policy-builders.js";
import { demoJob, T0, TEST_CATALOG_VERSION } from "./run-builder.js";

export type TestPerson = "alice" | "bob" | "carol" | "dave";

/**
 * Alice Doe (dev) asks; Bob Stone (told on dev:bob-phone) and Carol King
 * approve; Dave Hill is an admin. `notify` tells some of them elsewhere.
 */
export function aPeopleContext(notify: Partial<Record<TestPerson, string>> = {}): PeopleContext {
  return {
    roster: rosterOf([
      { id: "alice", name: "Alice Doe", roles: ["dev"], notify: notify.alice ?? "dev:alice" },
      { id: "bob", name: "Bob Stone", roles: ["ops"], notify: notify.bob ?? "dev:bob-phone" },
      { id: "carol", name: "Carol King", roles: ["ops"], notify: notify.carol ?? "dev:carol" },
      { id: "dave", name: "Dave Hill", roles: ["admin"], notify: notify.dave ?? "dev:dave" },
    ]),
    // Not the real derivation (policy/confirm-code.ts): one fixed code per approver is enough here.
    codeFor: (_run, approverId) => `${approverId.slice(0, 3).toUpperCase()}234`,
  };
}

/** A person of aPeopleContext deciding from their own address. */
export function asApprover(id: "alice" | "bob" | "carol" | "dave"): Approver {
  const person = aPeopleContext().roster.person(id);
  if (person === undefined) throw new Error(`${id} is not in the test roster`);
  return { id, name: person.name, roles: person.roles, address: `dev:${id}` };
}

/**
 * A run of `demo` asked for by Alice under `approval` (the catalog's words),
 * asking Bob and Carol, as createRun makes it, with the notices it sent.
 */
export function aClosedRun(
  approval: Record<string, unknown> = {},
  runId = "K7Q2MX",
  people: PeopleContext = aPeopleContext(),
) {
  const job: JobDefinition = { ...demoJob, approval: anApprovalPolicy(approval) };
  const alice = asApprover("alice");
  return createRun({
    runId,
    jobKey: "demo",
    job,
    catalogVersion: TEST_CATALOG_VERSION,
    parameters: [],
    requester: { channelId: "dev", from: "alice", conversation: "alice", person: alice },
    approvalTtlSeconds: 3600,
    now: T0,
    policy: { approvers: ["bob", "carol"], escalation: null, ...people },
  });
}

/** A run of `demo` asked for in open mode by dev:user1, as createRun makes it. */
export function anOpenRun(runId = "K7Q2MX", requester = { channelId: "dev", from: "user1" }) {
  return createRun({
    runId,
    jobKey: "demo",
    job: demoJob,
    catalogVersion: TEST_CATALOG_VERSION,
    parameters: [],
    requester: { ...requester, conversation: requester.from },
    approvalTtlSeconds: 3600,
    now: T0,
  });
}
