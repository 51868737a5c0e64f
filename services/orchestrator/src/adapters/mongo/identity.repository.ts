import type { Collection, Db } from "mongodb";
import type { Identities, IdentityChange, LinkedAddress, StoredLinkCode } from "../../app/ports.js";

/** A linked address under `_id` = the address: linking is an insert, so an address is linked once. */
type LinkDocument = Omit<LinkedAddress, "address"> & { _id: string };
/** A person's link code under `_id` = their id: one code per person, a new one replaces it. */
type CodeDocument = Omit<StoredLinkCode, "personId"> & { _id: string };
/** A change under an id made of what it is, whose, and the message that made it: kept once. */
type ChangeDocument = IdentityChange & { _id: string };

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (error: unknown) => (error as { code?: unknown }).code === DUPLICATE_KEY;

const linkOf = ({ _id, ...rest }: LinkDocument): LinkedAddress => ({ address: _id, ...rest });
const codeOf = ({ _id, ...rest }: CodeDocument): StoredLinkCode => ({ personId: _id, ...rest });

/**
 * Identities on MongoDB: `linked_addresses`, `link_codes` and the append-only
 * `identity_changes`. Every write is a single-document write keyed so that
 * doing it again (a redelivered message) changes nothing: an insert under the
 * address, a try added to a set, a change under a deterministic id.
 */
export function createIdentityRepository(db: Db): Identities {
  const links: Collection<LinkDocument> = db.collection<LinkDocument>("linked_addresses");
  const codes: Collection<CodeDocument> = db.collection<CodeDocument>("link_codes");
  const changes: Collection<ChangeDocument> = db.collection<ChangeDocument>("identity_changes");

  return {
    async linkOf(address) {
      const doc = await links.findOne({ _id: address });
      return doc === null ? null : linkOf(doc);
    },
    async linkedTo(personId) {
      // Not by _id, and no index: a scan of the linked addresses, a few per person; only `whoami` asks.
      const docs = await links.find({ personId }).sort({ linkedAt: 1, _id: 1 }).toArray();
      return docs.map(linkOf);
    },
    async link(linked) {
      const { address, ...rest } = linked;
      try {
        await links.insertOne({ _id: address, ...rest });
        return { kind: "linked" };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await links.findOne({ _id: address });
      if (existing === null)
        throw new Error(`linked address ${address} is taken but cannot be read`);
      return { kind: "exists", existing: linkOf(existing) };
    },
    async putCode(code) {
      const { personId, ...rest } = code;
      await codes.replaceOne({ _id: personId }, rest, { upsert: true });
    },
    async codes() {
      // The whole collection, on purpose: it holds at most one code per person of the directory.
      return (await codes.find({}).toArray()).map(codeOf);
    },
    async countWrongTry(personId, salt, tryKey) {
      const doc = await codes.findOneAndUpdate(
        { _id: personId, salt },
        { $addToSet: { wrongTries: tryKey } },
        { returnDocument: "after" },
      );
      return doc === null ? null : doc.wrongTries.length;
    },
    async useCode(personId, salt, key) {
      const filter = { _id: personId, salt, usedBy: { $in: [null, key] } };
      const result = await codes.updateOne(filter, { $set: { usedBy: key } });
      return result.matchedCount === 1;
    },
    async record(change) {
      const _id = `${change.kind}:${change.personId}:${change.cause}`;
      try {
        await changes.insertOne({ _id, ...change });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
  };
}
