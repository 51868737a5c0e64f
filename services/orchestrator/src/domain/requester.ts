import type { Actor } from "@textops/contracts";
import type { Destination } from "./notices.js";

/** A person of the directory, as the orchestrator's decisions see them. */
export interface Person {
  id: string;
  name: string;
  roles: readonly string[];
}

/** Who sent a command, as the channel named them, and who that is when there is a directory. */
export interface Requester {
  channelId: string;
  from: string;
  conversation: string;
  /** Absent when TextOps runs without a directory (open mode). */
  person?: Person;
}

export const addressOf = (r: Pick<Requester, "channelId" | "from">) => `${r.channelId}:${r.from}`;
export const conversationOf = (r: Requester) => `${r.channelId}:${r.conversation}`;
/** A person of the directory is `user:<id>`; without one, the sender's address. */
export const actorOf = (r: Requester): Actor =>
  r.person === undefined ? `user:${r.channelId}:${r.from}` : `user:${r.person.id}`;
export const destinationOf = (r: Requester): Destination => ({
  channelId: r.channelId,
  conversation: conversationOf(r),
});
