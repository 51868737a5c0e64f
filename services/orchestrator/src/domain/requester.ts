import type { Actor } from "@textops/contracts";
import type { Destination } from "./notices.js";

/** Who sent a command, as the channel named them. */
export interface Requester {
  channelId: string;
  from: string;
  conversation: string;
}

export const addressOf = (r: Requester) => `${r.channelId}:${r.from}`;
export const conversationOf = (r: Requester) => `${r.channelId}:${r.conversation}`;
export const actorOf = (r: Requester): Actor => `user:${r.channelId}:${r.from}`;
export const destinationOf = (r: Requester): Destination => ({
  channelId: r.channelId,
  conversation: conversationOf(r),
});
