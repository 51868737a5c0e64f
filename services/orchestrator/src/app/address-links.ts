import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import {
  LINK_CODE_DIGITS,
  LINK_CODE_TTL_MS,
  MAX_LINK_CODE_TRIES,
  linkCodeState,
} from "../domain/link-code.js";
import type { Identities, LinkedAddress, StoredLinkCode } from "./ports.js";

/** Keeps link codes' hashes apart from anything else made with the same secret. */
const PURPOSE = "textops.link-code.v1";

/** What one message does to identities: when, from where, and its key (`<channel>:<provider id>`). */
export interface IdentityRequest {
  now: number;
  /** The message's key: every write it makes is keyed by it, so a redelivery makes none twice. */
  cause: string;
}

export type ConfirmOutcome =
  | { kind: "linked"; personId: string; linkedFrom: string }
  /** The address is linked to someone already. */
  | { kind: "taken" }
  /** The code was right once: it has expired, was voided by wrong tries, or linked another address. */
  | { kind: "no-longer-valid" }
  | { kind: "wrong" };

export interface AddressLinks {
  /** A new code for the person, replacing theirs; returned to be told once, stored only hashed. */
  issue(request: IdentityRequest & { personId: string; from: string }): Promise<string>;
  /** `link <code>` from `address`, an address neither the directory nor a link knows (or this very message linked). */
  confirm(request: IdentityRequest & { address: string; code: string }): Promise<ConfirmOutcome>;
}

export const randomLinkCode = () =>
  randomInt(0, 10 ** LINK_CODE_DIGITS)
    .toString()
    .padStart(LINK_CODE_DIGITS, "0");

/**
 * Linking an address to a person of the directory with a code.
 *
 * The code is six random digits, stored only as HMAC-SHA256 under the
 * server's secret of a per-code random salt and the code, so the database
 * alone does not give it away, not even by trying all 10^6. A code sent from
 * an unknown address names nobody but itself, so it is checked against every
 * stored code (one per person at most; each is hashed and compared in
 * constant time whatever matches), and a wrong one is counted against every
 * live code: any of them could be the one guessed at. So five wrong tries in
 * a code's ten minutes void it whoever sent them, and a guesser's chance is
 * at most 5 in 10^6 per code, from however many addresses. The price: a
 * stranger's wrong tries can void a code, and its owner asks for another.
 * Every answer to a wrong code is the same, whether any code is live or not.
 *
 * Redelivery (the inbox lets a message that crashed before its answer was
 * stored be handled again, DESIGN.md rule 1): each write is keyed by the
 * message. A wrong try is added to the code's set of tries under the
 * message's key, so it counts once; the code is marked used by the message
 * before the address is linked, and the link is an insert under the address
 * naming the message, so a redelivery finds both its own and finishes; the
 * identity log keeps one entry per change, person and message. A redelivered
 * `link` makes a new code, replacing one that was never told to anyone.
 */
export function addressLinks(
  identities: Identities,
  secret: string,
  newCode: () => string = randomLinkCode,
): AddressLinks {
  const hashOf = (salt: string, code: string) =>
    createHmac("sha256", secret).update(`${PURPOSE}:${salt}:${code}`, "utf8").digest();
  const matches = (stored: StoredLinkCode, code: string) => {
    const expected = Buffer.from(stored.hash, "hex");
    const presented = hashOf(stored.salt, code);
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  };

  async function linked(link: LinkedAddress, at: string): Promise<ConfirmOutcome> {
    const { address, personId, linkedBy: cause } = link;
    await identities.record({
      kind: "address-linked",
      personId,
      at,
      from: address,
      address,
      cause,
    });
    return { kind: "linked", personId, linkedFrom: link.linkedFrom };
  }

  async function countWrongTry(codes: StoredLinkCode[], address: string, r: IdentityRequest) {
    const live = codes.filter(
      (c) => c.usedBy === null && linkCodeState(c, r.now, r.cause) === "live",
    );
    await Promise.all(
      live.map(async ({ personId, salt }) => {
        const tries = await identities.countWrongTry(personId, salt, r.cause);
        if (tries !== MAX_LINK_CODE_TRIES) return;
        const at = iso(r.now);
        await identities.record({
          kind: "link-code-voided",
          personId,
          at,
          from: address,
          cause: r.cause,
        });
      }),
    );
  }

  return {
    async issue({ personId, from, now, cause }) {
      const code = newCode();
      const salt = randomBytes(16).toString("hex");
      await identities.putCode({
        personId,
        salt,
        hash: hashOf(salt, code).toString("hex"),
        issuedAt: iso(now),
        expiresAt: iso(now + LINK_CODE_TTL_MS),
        issuedFrom: from,
        wrongTries: [],
        usedBy: null,
      });
      await identities.record({ kind: "link-code-issued", personId, at: iso(now), from, cause });
      return code;
    },

    async confirm(request) {
      const { address, code, now, cause } = request;
      const existing = await identities.linkOf(address);
      if (existing !== null) {
        return existing.linkedBy === cause ? linked(existing, iso(now)) : { kind: "taken" };
      }
      const codes = await identities.codes();
      const matching = codes.filter((stored) => matches(stored, code));
      const live = matching.find((stored) => linkCodeState(stored, now, cause) === "live");
      if (live === undefined) {
        if (matching.length > 0) return { kind: "no-longer-valid" };
        await countWrongTry(codes, address, request);
        return { kind: "wrong" };
      }
      if (!(await identities.useCode(live.personId, live.salt, cause))) {
        return { kind: "no-longer-valid" };
      }
      const link = {
        address,
        personId: live.personId,
        linkedAt: iso(now),
        linkedFrom: live.issuedFrom,
        linkedBy: cause,
      };
      const result = await identities.link(link);
      if (result.kind === "exists" && result.existing.linkedBy !== cause) return { kind: "taken" };
      return linked(result.kind === "exists" ? result.existing : link, iso(now));
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
