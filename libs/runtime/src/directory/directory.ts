import { createHash, timingSafeEqual } from "node:crypto";
import type { PersonEntry, UsersFile } from "@textops/contracts";

/** A person of the directory, defaults resolved. */
export interface Person {
  id: string;
  name: string;
  roles: readonly string[];
  addresses: readonly string[];
  /** Where notices to them go: the file's `notify`, else their first address. */
  notify: string;
}

/** The SHA-256 of one declared token and whose it is. */
interface TokenHash {
  digest: Buffer;
  person: Person;
}

/** The channel prefix in lower case, the id as given: how addresses are compared. */
function canonical(address: string): string {
  const colon = address.indexOf(":");
  return colon < 0 ? address : address.slice(0, colon).toLowerCase() + address.slice(colon);
}

function toPerson(id: string, entry: PersonEntry): Person {
  const [first = ""] = entry.addresses; // the schema asks for at least one
  return Object.freeze({
    id,
    name: entry.name ?? id,
    roles: Object.freeze([...entry.roles]),
    addresses: Object.freeze([...entry.addresses]),
    notify: entry.notify ?? first,
  });
}

const SHA256_BYTES = 32;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();
/** `sha256:<64 hex>` as the 32 bytes it stands for. */
const hashDigest = (hash: string) => Buffer.from(hash.slice("sha256:".length), "hex");

/**
 * The directory of people: who someone is, from the address they send from
 * or the API token they present. Addresses linked later (kept in MongoDB)
 * are layered on with `withLinked`; the file's own addresses come first.
 */
export class Directory {
  private constructor(
    private readonly all: readonly Person[],
    private readonly byId: ReadonlyMap<string, Person>,
    private readonly fileAddresses: ReadonlyMap<string, Person>,
    private readonly tokens: readonly TokenHash[],
    private readonly linked: ReadonlyMap<string, string>,
  ) {}

  static fromFile(users: UsersFile): Directory {
    const people: Person[] = [];
    const addresses = new Map<string, Person>();
    const tokens: TokenHash[] = [];
    for (const [id, entry] of Object.entries(users.users)) {
      const person = toPerson(id, entry);
      people.push(person);
      for (const address of person.addresses.map(canonical)) {
        if (!addresses.has(address)) addresses.set(address, person);
      }
      for (const digest of entry.apiTokens.map(hashDigest)) {
        if (digest.length === SHA256_BYTES) tokens.push({ digest, person });
      }
    }
    const byId = new Map(people.map((person) => [person.id, person]));
    return new Directory(people, byId, addresses, tokens, new Map());
  }

  /**
   * This directory with `links` (address → person id) consulted by
   * `byAddress` after the file's addresses. It replaces the links given before.
   */
  withLinked(links: ReadonlyMap<string, string>): Directory {
    const linked = new Map([...links].map(([address, id]) => [canonical(address), id]));
    return new Directory(this.all, this.byId, this.fileAddresses, this.tokens, linked);
  }

  person(id: string): Person | undefined {
    return this.byId.get(id);
  }

  /** Who sends from `address`: the channel prefix in any case, the rest exactly. */
  byAddress(address: string): Person | undefined {
    const key = canonical(address);
    const fromFile = this.fileAddresses.get(key);
    if (fromFile !== undefined) return fromFile;
    const id = this.linked.get(key);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Everyone, in the order of the file. */
  people(): Person[] {
    return [...this.all];
  }

  /** Everyone holding `role`, in the order of the file. */
  withRole(role: string): Person[] {
    return this.all.filter((person) => person.roles.includes(role));
  }

  /**
   * Whose `token` this is. Its SHA-256 is compared with every declared hash
   * in constant time, all of them whatever matches, so the time taken tells
   * nothing about which hash came close.
   */
  personForToken(token: string): Person | undefined {
    if (token === "") return undefined;
    const presented = sha256(token);
    let found: Person | undefined;
    for (const { digest, person } of this.tokens) {
      const match = timingSafeEqual(presented, digest);
      if (match && found === undefined) found = person;
    }
    return found;
  }
}
