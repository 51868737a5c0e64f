import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Directory } from "@textops/runtime";
import type { PeopleContext } from "../domain/decide-under-policy.js";
import type { ShownAddress } from "../domain/people-notices.js";
import { confirmCodeFor } from "../domain/policy/index.js";
import { rosterOf, type RosterPerson } from "../domain/roster.js";
import type { Run } from "../domain/stored-run.js";
import { addressLinks, type AddressLinks } from "./address-links.js";
import type { Identities } from "./ports.js";

/** The directory of people as the app layer uses it (closed mode). */
export interface PeopleDirectory {
  /** The person an address belongs to, if anyone: the directory's file first, then linked addresses. */
  personAt(address: string): Promise<RosterPerson | undefined>;
  /** Whether the directory's file lists the address. */
  listed(address: string): boolean;
  /** A person's addresses: the file's, then those linked, oldest first. */
  addressesOf(personId: string): Promise<ShownAddress[]>;
  /** Linking more addresses to a person (`link`, `link <code>`). */
  links: AddressLinks;
  /** What decisions need of it: names, where people are told things, confirm codes. */
  context: PeopleContext;
}

/**
 * The directory loaded at start-up and the addresses linked since (in
 * `identities`), with confirm codes derived under `codeSecret` from the run,
 * its recorded definition, its values and the approver, and link codes
 * hashed under it. A linked address identifies its person; notices still go
 * where the file says (`notify`, else the first address).
 */
export function peopleDirectoryOf(
  directory: Directory,
  identities: Identities,
  codeSecret: string,
): PeopleDirectory {
  const roster = rosterOf(directory.people());
  const codeFor = (run: Run, approverId: string) =>
    confirmCodeFor(codeSecret, {
      runId: run.runId,
      jobHash: definitionHash(run.job),
      parameters: run.parameters,
      approverId,
    });
  return {
    async personAt(address) {
      const listed = directory.byAddress(address);
      if (listed !== undefined) return roster.person(listed.id);
      const link = await identities.linkOf(address);
      return link === null ? undefined : roster.person(link.personId);
    },
    listed: (address) => directory.byAddress(address) !== undefined,
    async addressesOf(personId) {
      const listed = directory.person(personId)?.addresses ?? [];
      const linked = await identities.linkedTo(personId);
      return [
        ...listed.map((address) => ({ address, linked: false })),
        ...linked.map(({ address }) => ({ address, linked: true })),
      ];
    },
    links: addressLinks(identities, codeSecret),
    context: { roster, codeFor },
  };
}

/** The SHA-256 of the definition's canonical JSON (RFC 8785): the same definition, the same hash. */
function definitionHash(job: Run["job"]): string {
  return createHash("sha256")
    .update(canonicalize(job) ?? "")
    .digest("hex");
}
