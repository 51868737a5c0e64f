import type { z } from "zod";
import type { MessageType } from "./envelope.js";
import {
  ExecutionCancelRequested,
  ExecutionCompleted,
  ExecutionDispatch,
  ExecutionHeartbeat,
  ExecutionStarted,
} from "./execution.js";
import { DeliveryReport } from "./delivery-report.js";
import { InboundMessage } from "./inbound.js";
import { OrchestratorReply } from "./orchestrator-reply.js";
import { OutboundMessage } from "./outbound.js";
import { dispatchRoutingKey, EXCHANGES } from "./topology.js";

interface CatalogEntry<S extends z.ZodType> {
  schema: S;
  schemaVersion: number;
  /** null: sent straight to a reply queue named by the request's replyTo. */
  exchange: string | null;
  routingKey: (payload: z.infer<S>) => string;
}

function entry<S extends z.ZodType>(e: CatalogEntry<S>): CatalogEntry<S> {
  return e;
}

/** Each message type with its schema and where it is published. */
export const CATALOG = {
  InboundMessage: entry({
    schema: InboundMessage,
    schemaVersion: 1,
    exchange: EXCHANGES.inbound,
    routingKey: (m) => `inbound.${m.channelId}`,
  }),
  OutboundMessage: entry({
    schema: OutboundMessage,
    schemaVersion: 1,
    exchange: EXCHANGES.outbound,
    routingKey: (m) => `outbound.${m.channelId}`,
  }),
  ExecutionDispatch: entry({
    schema: ExecutionDispatch,
    schemaVersion: 2,
    exchange: EXCHANGES.dispatch,
    routingKey: (m) => dispatchRoutingKey(m.job.pool),
  }),
  ExecutionCancelRequested: entry({
    schema: ExecutionCancelRequested,
    schemaVersion: 1,
    exchange: EXCHANGES.control,
    routingKey: () => "cancel",
  }),
  ExecutionStarted: entry({
    schema: ExecutionStarted,
    schemaVersion: 1,
    exchange: EXCHANGES.execution,
    routingKey: () => "execution.started",
  }),
  ExecutionHeartbeat: entry({
    schema: ExecutionHeartbeat,
    schemaVersion: 1,
    exchange: EXCHANGES.execution,
    routingKey: () => "execution.heartbeat",
  }),
  ExecutionCompleted: entry({
    schema: ExecutionCompleted,
    schemaVersion: 1,
    exchange: EXCHANGES.execution,
    routingKey: () => "execution.completed",
  }),
  DeliveryReport: entry({
    schema: DeliveryReport,
    schemaVersion: 1,
    exchange: EXCHANGES.inbound,
    routingKey: (m) => `delivery.${m.channelId}`,
  }),
  OrchestratorReply: entry({
    schema: OrchestratorReply,
    schemaVersion: 1,
    exchange: null,
    routingKey: () => "",
  }),
} satisfies { [K in MessageType]: CatalogEntry<z.ZodType> };

export type Catalog = typeof CATALOG;
/** The payload type of a message type. */
export type PayloadOf<K extends MessageType> = z.infer<Catalog[K]["schema"]>;
