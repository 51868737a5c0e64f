import type { ChannelWrapper } from "amqp-connection-manager";
import type { ConfirmChannel, Options } from "amqplib";
import type { Logger } from "pino";
import {
  CATALOG,
  type MessageEnvelope,
  type MessageType,
  type PayloadOf,
} from "@textops/contracts";
import type { AmqpConnectionManager } from "./connection.js";
import { newEnvelope, publishOptions, type EnvelopeFields } from "./envelope.js";
import { declareTopology } from "./topology.js";

export interface PublishExtras extends EnvelopeFields {
  /** For OrchestratorReply: the queue named by the request's replyTo. */
  replyTo?: string | undefined;
  /** The replyTo the receiver should answer to. */
  expectReplyOn?: string | undefined;
  /** Give up waiting for the broker's confirm after this long. */
  timeoutMs?: number | undefined;
  /** Sends it elsewhere than its catalog exchange (a retry queue, say). */
  route?: { exchange: string; routingKey: string } | undefined;
  /** Per-message TTL in milliseconds. */
  expirationMs?: number | undefined;
  /** Headers beside the envelope's (the delay queue to go through, say). */
  headers?: Record<string, string> | undefined;
}

export interface Publisher {
  /** Publishes and resolves once the broker has confirmed the message. */
  publish<K extends MessageType>(
    type: K,
    payload: PayloadOf<K>,
    extras: PublishExtras,
  ): Promise<MessageEnvelope>;
  /** Publishes raw bytes with given properties; for dead-lettering and tests. */
  publishRaw(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void>;
  readonly channel: ChannelWrapper;
  close(): Promise<void>;
}

/**
 * A confirm channel that declares the topology on every (re)connect. Payloads
 * are validated before sending: publishing a malformed message is a bug.
 */
export function createPublisher(
  connection: AmqpConnectionManager,
  options: {
    name?: string;
    setup?: (channel: ConfirmChannel) => Promise<void>;
    log?: Logger;
  } = {},
): Publisher {
  const channel = connection.createChannel({
    name: options.name ?? "publisher",
    confirm: true,
    setup: async (ch: ConfirmChannel) => {
      await declareTopology(ch);
      await options.setup?.(ch);
    },
  });

  channel.on("error", (error: unknown) => {
    options.log?.warn({ err: error }, "publisher channel error; it is set up again on reconnect");
  });

  async function publishRaw(
    exchange: string,
    routingKey: string,
    content: Buffer,
    publish: Options.Publish,
  ) {
    await channel.publish(exchange, routingKey, content, publish);
  }

  return {
    channel,
    publishRaw,
    async publish(type, payload, extras) {
      const entry = CATALOG[type];
      const checked = entry.schema.parse(payload) as PayloadOf<typeof type>;
      const envelope = newEnvelope(type, extras);
      const route = entry.exchange === null ? "" : entry.exchange;
      const routingKey =
        entry.exchange === null
          ? required(extras.replyTo, `${type} needs replyTo`)
          : (entry.routingKey as (p: PayloadOf<typeof type>) => string)(checked);
      const target = extras.route ?? { exchange: route, routingKey };
      await channel.publish(
        target.exchange,
        target.routingKey,
        Buffer.from(JSON.stringify(checked)),
        {
          ...publishOptions(envelope, {
            ...(extras.expectReplyOn ? { replyTo: extras.expectReplyOn } : {}),
            ...(extras.headers ? { headers: extras.headers } : {}),
          }),
          ...(extras.timeoutMs ? { timeout: extras.timeoutMs } : {}),
          ...(extras.expirationMs === undefined ? {} : { expiration: String(extras.expirationMs) }),
        },
      );
      return envelope;
    },
    close: () => channel.close(),
  };
}

function required(value: string | undefined, message: string): string {
  if (!value) throw new Error(message);
  return value;
}
