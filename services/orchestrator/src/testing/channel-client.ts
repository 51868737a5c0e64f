import { randomUUID } from "node:crypto";
import amqplib, { type ConfirmChannel } from "amqplib";
import {
  CATALOG,
  EXCHANGES,
  OrchestratorReply,
  type MessageType,
  type PayloadOf,
} from "@textops/contracts";
import { declareTopology, newEnvelope, publishOptions } from "@textops/messaging";
import { vi } from "vitest";

export const CONTROL_TAP = "test.control-tap";

export interface Taken<K extends MessageType> {
  messageId: string;
  payload: PayloadOf<K>;
}

/**
 * What talks to the orchestrator in tests: a channel (like ingress) that
 * sends texts and waits for the answer on direct reply-to, a worker that
 * reports, and a reader of what the orchestrator published.
 */
export async function connectChannelClient(url: string) {
  const connection = await amqplib.connect(url);
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  await declareTopology(channel);
  await channel.assertQueue(CONTROL_TAP, { exclusive: true });
  await channel.bindQueue(CONTROL_TAP, EXCHANGES.control, "");
  const waiting = new Map<string, (reply: OrchestratorReply) => void>();
  await channel.consume(
    "amq.rabbitmq.reply-to",
    (message) => {
      if (!message) return;
      const reply = OrchestratorReply.parse(JSON.parse(message.content.toString()));
      waiting.get(String(message.properties.correlationId))?.(reply);
    },
    { noAck: true },
  );

  let closed: Promise<void> | undefined;
  const close = () => (closed ??= connection.close().catch(() => undefined));

  async function publish<K extends MessageType>(
    type: K,
    payload: PayloadOf<K>,
    fields: { messageId?: string; correlationId?: string; replyTo?: string } = {},
  ) {
    const envelope = newEnvelope(type, {
      correlationId: fields.correlationId ?? randomUUID(),
      messageId: fields.messageId,
    });
    const entry = CATALOG[type];
    const routingKey = (entry.routingKey as (p: PayloadOf<K>) => string)(payload);
    const extra = fields.replyTo ? { replyTo: fields.replyTo } : {};
    channel.publish(entry.exchange ?? "", routingKey, Buffer.from(JSON.stringify(payload)), {
      ...publishOptions(envelope, extra),
    });
    await channel.waitForConfirms();
    return envelope;
  }

  return {
    publish,
    /** Sends a text as user `from` and waits for the orchestrator's answer. */
    async send(
      body: string,
      options: { providerMessageId?: string; from?: string; messageId?: string } = {},
    ): Promise<OrchestratorReply> {
      const correlationId = randomUUID();
      const replied = new Promise<OrchestratorReply>((resolve) => {
        waiting.set(correlationId, resolve);
      });
      const from = options.from ?? "user1";
      await publish(
        "InboundMessage",
        {
          channelId: "dev",
          providerMessageId: options.providerMessageId ?? randomUUID(),
          from,
          conversation: from,
          body,
          receivedAt: new Date().toISOString(),
        },
        { correlationId, replyTo: "amq.rabbitmq.reply-to", messageId: options.messageId },
      );
      return vi.waitFor(() => replied, { timeout: 15_000 });
    },
    /** Takes the next message from a queue, waiting for one to arrive. */
    take<K extends MessageType>(queue: string, type: K): Promise<Taken<K>> {
      return vi.waitFor(
        async () => {
          const message = await channel.get(queue, { noAck: true });
          if (!message) throw new Error(`nothing in ${queue} yet`);
          const payload = CATALOG[type].schema.parse(JSON.parse(message.content.toString()));
          return { messageId: String(message.properties.messageId), payload } as Taken<K>;
        },
        { timeout: 15_000, interval: 25 },
      );
    },
    /** Everything in a queue right now. */
    async drain(queue: string): Promise<{ messageId: string; body: unknown }[]> {
      const all: { messageId: string; body: unknown }[] = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (!message) return all;
        const body: unknown = JSON.parse(message.content.toString());
        all.push({ messageId: String(message.properties.messageId), body });
      }
    },
    close,
  };
}

export type ChannelClient = Awaited<ReturnType<typeof connectChannelClient>>;
