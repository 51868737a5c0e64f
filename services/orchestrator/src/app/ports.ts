import type { MessageEnvelope, MessageType, PayloadOf } from "@textops/contracts";
import type { PublishExtras } from "@textops/messaging";

/** Epoch milliseconds; a function so tests can hold time still. */
export type Clock = () => number;

/** Makes a fresh run id. */
export type RunIdGenerator = () => string;

/** The part of the messaging publisher the orchestrator uses. */
export interface Publisher {
  publish<K extends MessageType>(
    type: K,
    payload: PayloadOf<K>,
    extras: PublishExtras,
  ): Promise<MessageEnvelope>;
}
