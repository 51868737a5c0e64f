import type { PeopleSelector } from "@textops/contracts";

/** A person as the policy sees them. */
export interface PolicyPerson {
  id: string;
  roles: readonly string[];
}

/** The people a selector may name: everyone in the directory. */
export interface PeopleView {
  people(): readonly PolicyPerson[];
}

/** Whether `selector` names `person`: by one of their roles, or by their id. */
export function selects(selector: PeopleSelector, person: PolicyPerson): boolean {
  return (
    (selector.users?.includes(person.id) ?? false) ||
    (selector.roles?.some((role) => person.roles.includes(role)) ?? false)
  );
}
