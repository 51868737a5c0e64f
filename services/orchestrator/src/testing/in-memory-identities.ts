import type { Identities, IdentityChange, LinkedAddress, StoredLinkCode } from "../app/ports.js";
import { copy, roundTrip } from "./in-memory-ports.js";

export type InMemoryIdentities = Identities & {
  readonly links: Map<string, LinkedAddress>;
  readonly storedCodes: Map<string, StoredLinkCode>;
  /** The identity log, in the order appended. */
  readonly changes: IdentityChange[];
};

/** Identities in memory, keeping the Mongo adapter's rules (identities-contract.ts checks both). */
export function inMemoryIdentities(): InMemoryIdentities {
  const links = new Map<string, LinkedAddress>();
  const storedCodes = new Map<string, StoredLinkCode>();
  const changes: IdentityChange[] = [];
  const recorded = new Set<string>();
  const codeWith = (personId: string, salt: string) => {
    const code = storedCodes.get(personId);
    return code?.salt === salt ? code : undefined;
  };
  return {
    links,
    storedCodes,
    changes,
    async linkOf(address) {
      await roundTrip();
      return copy(links.get(address) ?? null);
    },
    async linkedTo(personId) {
      await roundTrip();
      const mine = [...links.values()].filter((link) => link.personId === personId);
      return copy(mine.sort((a, b) => a.linkedAt.localeCompare(b.linkedAt)));
    },
    async link(linked) {
      await roundTrip();
      const existing = links.get(linked.address);
      if (existing) return { kind: "exists", existing: copy(existing) };
      links.set(linked.address, copy(linked));
      return { kind: "linked" };
    },
    async putCode(code) {
      await roundTrip();
      storedCodes.set(code.personId, copy(code));
    },
    async codes() {
      await roundTrip();
      return copy([...storedCodes.values()]);
    },
    async countWrongTry(personId, salt, tryKey) {
      await roundTrip();
      const code = codeWith(personId, salt);
      if (!code) return null;
      if (!code.wrongTries.includes(tryKey)) code.wrongTries.push(tryKey);
      return code.wrongTries.length;
    },
    async useCode(personId, salt, key) {
      await roundTrip();
      const code = codeWith(personId, salt);
      if (!code || (code.usedBy !== null && code.usedBy !== key)) return false;
      code.usedBy = key;
      return true;
    },
    async record(change) {
      await roundTrip();
      const id = `${change.kind}:${change.personId}:${change.cause}`;
      if (recorded.has(id)) return;
      recorded.add(id);
      changes.push(copy(change));
    },
  };
}
