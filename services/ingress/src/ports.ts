import type {
  InboundMessage,
  OrchestratorReply,
  RunOutputText,
  RunTimeline,
} from "@textops/contracts";
import type { Viewer } from "./domain/read-access.js";

/** Reads runs the orchestrator wrote; ingress never writes them. */
export interface RunReader {
  /** The public view of the run with exactly this (upper-case) id, or null. */
  find(runId: string): Promise<RunTimeline | null>;
}

/** Reads the output workers kept for each attempt of a run; ingress never writes it. */
export interface RunOutputReader {
  /** The run's attempts that have output, ascending. */
  attempts(runId: string): Promise<number[]>;
  /** The attempt's kept output, or null when it has none. */
  read(runId: string, attempt: number): Promise<RunOutputText | null>;
}

/** An outbound text delivered to the dev channel. */
export interface DevMessage {
  /** The envelope's messageId: a redelivery of the same message is stored once. */
  messageId: string;
  channelId: string;
  conversation: string;
  body: string;
  correlationId: string;
  idempotencyKey: string;
  deliveredAt: string;
}

export interface DevMessageStore {
  /** "duplicate" when a message with this messageId was stored before. */
  record(message: DevMessage): Promise<"stored" | "duplicate">;
  /** The conversation's messages in delivery order. */
  list(conversation: string): Promise<DevMessage[]>;
}

/** The part of the store the HTTP API reads. */
export type DevConversationReader = Pick<DevMessageStore, "list">;

export interface InboundIds {
  /** Travels as the AMQP correlationId; the orchestrator's reply carries it back. */
  correlationId: string;
  /** The envelope's messageId of the published InboundMessage. */
  messageId: string;
}

/** Hands an inbound message to the orchestrator and waits, bounded, for its answer. */
export interface InboundGateway {
  /**
   * Resolves once the broker confirmed the message, with the orchestrator's
   * reply or "timeout" when none came in time. Throws BrokerUnavailable when
   * the message could not be handed to the broker.
   */
  send(message: InboundMessage, ids: InboundIds): Promise<OrchestratorReply | "timeout">;
  /**
   * Hands the message on without waiting for an answer (a provider's webhook,
   * whose replies go out through the channel's delivery consumer). Resolves
   * once the broker confirmed; throws BrokerUnavailable otherwise.
   */
  publish(message: InboundMessage, ids: InboundIds): Promise<void>;
}

/** The broker is unreachable or did not confirm the message: it may not have been taken. */
export class BrokerUnavailable extends Error {
  override readonly name = "BrokerUnavailable";
}

export interface Readiness {
  broker: boolean;
  mongo: boolean;
}

export type ReadinessCheck = () => Promise<Readiness>;

/** Whose API token this is: the directory of people answers it. */
export interface TokenOwners {
  personForToken(token: string): Viewer | undefined;
}

/**
 * Who may read runs and conversations over HTTP: anyone without a directory
 * of people (open mode), else the person a bearer token names.
 */
export type People = { mode: "open" } | { mode: "closed"; directory: TokenOwners };

/** `open`: POST /dev/inbound takes any sender even with a directory of people, on purpose. */
export type DevChannel = "open" | "closed";
