import { ApprovalPolicy } from "@textops/contracts";
import type { PeopleView, PolicyPerson } from "../domain/policy/index.js";

/** alice (dev), bob (ops), carol (ops, admin), dave (admin), erin (no role): in this order. */
export const people = {
  alice: { id: "alice", roles: ["dev"] },
  bob: { id: "bob", roles: ["ops"] },
  carol: { id: "carol", roles: ["ops", "admin"] },
  dave: { id: "dave", roles: ["admin"] },
  erin: { id: "erin", roles: [] },
} satisfies Record<string, PolicyPerson>;

/** A directory of `listed`, in that order; everyone of `people` unless given. */
export function aDirectory(...listed: PolicyPerson[]): PeopleView {
  const everyone = listed.length > 0 ? listed : Object.values(people);
  return { people: () => everyone };
}

/** An approval policy as the catalog would read it from `written`, defaults applied. */
export const anApprovalPolicy = (written: Record<string, unknown> = {}): ApprovalPolicy =>
  ApprovalPolicy.parse(written);
