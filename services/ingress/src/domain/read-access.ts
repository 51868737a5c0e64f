import type { RunTimeline } from "@textops/contracts";

/** The role that sees every run and every conversation. */
export const ADMIN_ROLE = "admin";

/** What the decisions need of a person of the directory. */
export interface Viewer {
  id: string;
  roles: readonly string[];
  addresses: readonly string[];
}

/**
 * Who reads: without a directory of people anyone, as before there was one;
 * with one, the person whose bearer token came with the request.
 */
export type Reader = { mode: "open" } | { mode: "closed"; person: Viewer };

const isAdmin = (person: Viewer) => person.roles.includes(ADMIN_ROLE);

/** Everyone who may approve the run: its approvers, those of its request, and those escalated to. */
function approversOf({ run, events }: RunTimeline): Set<string> {
  const ids = new Set(run.approvers);
  for (const event of events) {
    if (event.type === "ApprovalRequested") event.payload.approvers?.forEach((id) => ids.add(id));
    if (event.type === "ApprovalEscalated") event.payload.added.forEach((id) => ids.add(id));
  }
  return ids;
}

/**
 * Whether the reader may see the run (its summary, timeline and output). A
 * person sees the runs they asked for or may approve; an admin sees all. A
 * run made without a directory names nobody who asked, so only admins see it.
 */
export function maySeeRun(reader: Reader, timeline: RunTimeline): boolean {
  if (reader.mode === "open") return true;
  const { person } = reader;
  if (isAdmin(person)) return true;
  const { requestedBy } = timeline.run;
  if (requestedBy === undefined) return false;
  return requestedBy === person.id || approversOf(timeline).has(person.id);
}

/** Whether the reader may see what was sent to the dev conversation `dev:<id>`: their own address, or an admin. */
export function maySeeConversation(reader: Reader, conversation: string): boolean {
  if (reader.mode === "open") return true;
  const { person } = reader;
  return isAdmin(person) || person.addresses.includes(conversation);
}
