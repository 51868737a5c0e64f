import { OrchestratorReply } from "@textops/contracts";
import {
  createPublisher,
  errorMessage,
  readEnvelope,
  type AmqpConnectionManager,
} from "@textops/messaging";
import type { Logger } from "pino";
import { z } from "zod";
import { BrokerUnavailable, type InboundGateway } from "../../ports.js";
import { within } from "../timeout.js";
import { PendingReplies } from "./pending-replies.js";

/** A delivery as amqplib hands it over (ingress does not depend on amqplib itself). */
type ConsumeMessage = Parameters<typeof readEnvelope>[0];

/** RabbitMQ's direct reply-to: replies come straight back on the publishing channel. */
export const DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

export interface ReplyToGatewayOptions {
  connection: AmqpConnectionManager;
  log: Logger;
  /** How long to wait for the orchestrator's reply once the broker confirmed the message. */
  replyTimeoutMs: number;
  /** How long to wait for the broker's confirm before giving up with BrokerUnavailable. */
  publishTimeoutMs: number;
}

export interface ReplyToGateway extends InboundGateway {
  /** Resolves once the channel is set up: topology declared, reply consumer in place. */
  whenConnected(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Publishes inbound messages with a publisher confirm and waits for the
 * orchestrator's OrchestratorReply on direct reply-to. The reply consumer is
 * part of the channel's setup, so it is in place on the same channel before
 * anything is published, after every reconnect too.
 */
export function createReplyToGateway(options: ReplyToGatewayOptions): ReplyToGateway {
  const { connection, log } = options;
  const pending = new PendingReplies();
  const onReply = (message: ConsumeMessage | null) => {
    if (message) acceptReply(message, pending, log);
  };
  const publisher = createPublisher(connection, {
    name: "ingress-inbound",
    setup: async (channel) => {
      await channel.consume(DIRECT_REPLY_TO, onReply, { noAck: true });
    },
  });
  publisher.channel.on("error", (error: unknown) => {
    log.warn({ err: error }, "setting up the inbound channel failed; it is retried on reconnect");
  });

  return {
    async send(message, ids) {
      if (!connection.isConnected()) throw new BrokerUnavailable("not connected to RabbitMQ");
      const waiting = pending.register(ids.correlationId, ids.messageId);
      try {
        await publisher.publish("InboundMessage", message, {
          ...ids,
          expectReplyOn: DIRECT_REPLY_TO,
          timeoutMs: options.publishTimeoutMs,
        });
      } catch (error) {
        waiting.cancel();
        if (error instanceof z.ZodError) throw error; // an invalid message is our bug, not the broker's
        const reason = `RabbitMQ did not confirm the message: ${errorMessage(error)}`;
        throw new BrokerUnavailable(reason, { cause: error });
      }
      const outcome = await within(waiting.reply, options.replyTimeoutMs);
      if (outcome === "timeout") waiting.cancel();
      return outcome;
    },
    async publish(message, ids) {
      if (!connection.isConnected()) throw new BrokerUnavailable("not connected to RabbitMQ");
      try {
        await publisher.publish("InboundMessage", message, {
          ...ids,
          timeoutMs: options.publishTimeoutMs,
        });
      } catch (error) {
        if (error instanceof z.ZodError) throw error;
        const reason = `RabbitMQ did not confirm the message: ${errorMessage(error)}`;
        throw new BrokerUnavailable(reason, { cause: error });
      }
    },
    whenConnected: () => publisher.channel.waitForConnect(),
    close: () => publisher.close(),
  };
}

/**
 * Direct replies are consumed without acks: one that is malformed cannot be
 * dead-lettered, so it is logged and its request answers 202 when its wait ends.
 */
function acceptReply(message: ConsumeMessage, pending: PendingReplies, log: Logger) {
  const envelope = readEnvelope(message);
  if (!envelope.success || envelope.data.type !== "OrchestratorReply") {
    const reason = envelope.success ? `type ${envelope.data.type}` : envelope.error.message;
    log.warn({ reason }, "ignoring a direct reply without a valid OrchestratorReply envelope");
    return;
  }
  const { correlationId, messageId } = envelope.data;
  const reply = parseReply(message.content);
  if (!reply.ok) {
    log.warn({ correlationId, messageId, reason: reply.reason }, "ignoring an invalid reply");
    return;
  }
  if (!pending.deliver(correlationId, reply.value)) {
    log.info({ correlationId, messageId }, "a reply came after its request stopped waiting");
  }
}

function parseReply(
  content: Buffer,
): { ok: true; value: OrchestratorReply } | { ok: false; reason: string } {
  let body: unknown;
  try {
    body = JSON.parse(content.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${errorMessage(error)}` };
  }
  const reply = OrchestratorReply.safeParse(body);
  return reply.success
    ? { ok: true, value: reply.data }
    : { ok: false, reason: z.prettifyError(reply.error) };
}
