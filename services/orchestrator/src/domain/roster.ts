import type { DisplayNames, PeopleView } from "./policy/index.js";
import type { Destination } from "./notices.js";
import type { Person } from "./requester.js";

/** A person of the directory with the conversation their notices go to. */
export interface RosterPerson extends Person {
  notify: Destination;
}

/**
 * The directory as decisions read it: everyone, in the file's order, their
 * names, and where each is told things. Plain data, so decisions stay pure.
 */
export interface Roster extends PeopleView {
  people(): readonly RosterPerson[];
  person(id: string): RosterPerson | undefined;
  names: DisplayNames;
}

/** `sms:+15551230001` is the conversation `sms:+15551230001` on channel `sms`. */
export function destinationOfAddress(address: string): Destination {
  const colon = address.indexOf(":");
  return { channelId: address.slice(0, colon).toLowerCase(), conversation: address };
}

export function rosterOf(people: readonly (Person & { notify: string })[]): Roster {
  const everyone = people.map((p) => ({
    id: p.id,
    name: p.name,
    roles: p.roles,
    notify: destinationOfAddress(p.notify),
  }));
  const byId = new Map(everyone.map((p) => [p.id, p]));
  return {
    people: () => everyone,
    person: (id) => byId.get(id),
    names: new Map(everyone.map((p) => [p.id, p.name])),
  };
}
