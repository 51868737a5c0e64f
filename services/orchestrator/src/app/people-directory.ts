import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Directory } from "@textops/runtime";
import type { PeopleContext } from "../domain/decide-under-policy.js";
import { confirmCodeFor } from "../domain/policy/index.js";
import { rosterOf, type RosterPerson } from "../domain/roster.js";
import type { Run } from "../domain/stored-run.js";

/** The directory of people as the app layer uses it (closed mode). */
export interface PeopleDirectory {
  /** The person an address belongs to, if anyone. */
  personAt(address: string): RosterPerson | undefined;
  /** What decisions need of it: names, where people are told things, confirm codes. */
  context: PeopleContext;
}

/**
 * The directory loaded at start-up, with confirm codes derived under
 * `codeSecret` from the run, its recorded definition, its values and the approver.
 */
export function peopleDirectoryOf(directory: Directory, codeSecret: string): PeopleDirectory {
  const roster = rosterOf(directory.people());
  const codeFor = (run: Run, approverId: string) =>
    confirmCodeFor(codeSecret, {
      runId: run.runId,
      jobHash: definitionHash(run.job),
      parameters: run.parameters,
      approverId,
    });
  return {
    personAt(address) {
      const person = directory.byAddress(address);
      return person === undefined ? undefined : roster.person(person.id);
    },
    context: { roster, codeFor },
  };
}

/** The SHA-256 of the definition's canonical JSON (RFC 8785): the same definition, the same hash. */
function definitionHash(job: Run["job"]): string {
  return createHash("sha256")
    .update(canonicalize(job) ?? "")
    .digest("hex");
}
