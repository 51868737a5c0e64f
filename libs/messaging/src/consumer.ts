import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import type { Logger } from "pino";
import {
  CATALOG,
  type MessageEnvelope,
  type MessageType,
  type PayloadOf,
} from "@textops/contracts";
import { z } from "zod";
import type { AmqpConnectionManager } from "./connection.js";
import { deadLetter } from "./dead-letter.js";
import { attemptOf, redeliverLater } from "./delayed.js";
import { readEnvelope, type AmqpProperties } from "./envelope.js";
import { errorMessage, PermanentError, RetryLaterError } from "./errors.js";
import { declareTopology } from "./topology.js";

export interface Delivery<K extends MessageType> {
  type: K;
  payload: PayloadOf<K>;
  envelope: MessageEnvelope;
  replyTo: string | undefined;
  /** How often the broker handed this message out before (0 the first time). */
  previousDeliveries: number;
  /** With delayed retries: which attempt this is (1 the first time), and how many there are in all. */
  attempt: number;
  maxAttempts: number | undefined;
}

export type Handler<K extends MessageType> = (delivery: Delivery<K>, log: Logger) => Promise<void>;

/** One handler per message type the queue carries; a missing one does not compile. */
export type Handlers<K extends MessageType> = { [T in K]: Handler<T> };

export interface ConsumerOptions<K extends MessageType> {
  connection: AmqpConnectionManager;
  queue: string;
  prefetch: number;
  handlers: Handlers<K>;
  log: Logger;
  /** Largest body accepted; a bigger one is dead-lettered unread. */
  maxBodyBytes?: number;
  /** Wait before handing a transiently failed message back, by previous deliveries. */
  retryDelayMs?: (previousDeliveries: number) => number;
  /**
   * Failures go through the delay queues instead of straight back: attempt n
   * comes back after `delayMs(n)`, and after `maxAttempts` the message is
   * dead-lettered with the last error as the reason.
   */
  delayedRetry?: { maxAttempts: number; delayMs: (attempt: number) => number };
  /**
   * Errors that mean a dependency is down (the database, say): the message
   * stays in hand and its handler is tried again, with backoff, until it
   * succeeds or the consumer stops. Nothing is dead-lettered for an outage.
   */
  holdWhile?: (error: unknown) => boolean;
  /** Extra per-channel setup (for example a queue of the consumer's own). */
  setup?: (channel: ConfirmChannel) => Promise<void>;
}

export interface Consumer {
  /** Stops taking messages, waits for those in hand, closes the channel. */
  stop(): Promise<void>;
}

const defaultRetryDelay = (n: number) => Math.min(5000, 100 * 2 ** n);
const holdDelay = (n: number) => Math.min(5000, 200 * 2 ** n);

type Verdict =
  | { kind: "ack" }
  | { kind: "dead-letter"; reason: string }
  | { kind: "retry" }
  | { kind: "later"; delayMs: number };

/**
 * Consumes a queue with manual acks and bounded prefetch. Each message is
 * validated against the catalog; one that can never be valid is dead-lettered
 * with the reason in its headers and the consumer goes on. A handler's
 * PermanentError dead-letters too; any other error hands the message back
 * after a delay, and the queue's delivery limit ends a message that never succeeds.
 */
export async function startConsumer<K extends MessageType>(
  options: ConsumerOptions<K>,
): Promise<Consumer> {
  const { connection, queue, log } = options;
  const handlers = options.handlers as unknown as Partial<
    Record<MessageType, Handler<MessageType>>
  >;
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  // Delivery tags belong to one channel: after a reconnect, the old ones are void.
  let current: ConfirmChannel | undefined;
  let generation = 0;

  const wrapper = connection.createChannel({
    name: `consumer:${queue}`,
    confirm: true,
    setup: async (ch: ConfirmChannel) => {
      current = ch;
      generation += 1;
      await declareTopology(ch);
      await options.setup?.(ch);
    },
  });

  async function settle(message: ConsumeMessage, gen: number, verdict: Verdict) {
    if (gen !== generation || !current) return; // redelivered by the broker anyway
    if (verdict.kind === "ack") current.ack(message);
    else if (verdict.kind === "retry") current.reject(message, true);
    else if (verdict.kind === "later") {
      await redeliverLater(current, queue, message, verdict.delayMs);
      if (gen === generation) current.ack(message);
    } else {
      await deadLetter(current, queue, message, verdict.reason);
      if (gen === generation) current.ack(message);
    }
  }

  async function judge(message: ConsumeMessage): Promise<Verdict> {
    const previousDeliveries = deliveryCount(message);
    const decoded = decode(message, Object.keys(handlers) as MessageType[], maxBodyBytes);
    if (!decoded.ok) return { kind: "dead-letter", reason: decoded.reason };
    const { envelope, payload } = decoded;
    const child = log.child({
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      type: envelope.type,
    });
    const handler = handlers[envelope.type];
    if (!handler) return { kind: "dead-letter", reason: `no handler for ${envelope.type}` };
    const delivery: Delivery<MessageType> = {
      type: envelope.type,
      payload,
      envelope,
      replyTo: (message.properties as AmqpProperties).replyTo ?? undefined,
      previousDeliveries,
      attempt: attemptOf(message),
      maxAttempts: options.delayedRetry?.maxAttempts,
    };
    for (let held = 0; ; held += 1) {
      try {
        await handler(delivery, child);
        if (held > 0) child.info({ held }, "dependency back; message handled");
        return { kind: "ack" };
      } catch (error) {
        if (error instanceof PermanentError) {
          child.warn({ reason: error.message }, "message failed permanently; dead-lettering");
          return { kind: "dead-letter", reason: error.message };
        }
        if (options.holdWhile?.(error) && !stopping.signal.aborted) {
          const delay = holdDelay(held);
          child.warn(
            { err: error, held, retryInMs: delay },
            "a dependency is unavailable; holding the message and trying again",
          );
          await pause(delay, stopping.signal);
          continue;
        }
        return failed(message, error, previousDeliveries, child);
      }
    }
  }

  async function failed(
    message: ConsumeMessage,
    error: unknown,
    previousDeliveries: number,
    child: Logger,
  ): Promise<Verdict> {
    const later = options.delayedRetry;
    if (later) {
      const attempt = attemptOf(message);
      if (attempt >= later.maxAttempts) {
        child.warn({ err: error, attempt }, "message failed on its last attempt; dead-lettering");
        return {
          kind: "dead-letter",
          reason: `gave up after ${attempt} attempts: ${errorMessage(error)}`,
        };
      }
      const asked = error instanceof RetryLaterError ? error.retryAfterMs : 0;
      const delayMs = Math.max(later.delayMs(attempt), asked);
      child.warn({ err: error, attempt, retryInMs: delayMs }, "message failed; retrying later");
      return { kind: "later", delayMs };
    }
    const delay = retryDelay(previousDeliveries);
    child.warn({ err: error, retryInMs: delay }, "message failed; handing it back for a retry");
    await pause(delay, stopping.signal);
    return { kind: "retry" };
  }

  function onMessage(message: ConsumeMessage | null) {
    if (!message) return;
    const gen = generation;
    const work = judge(message)
      .then((verdict) => settle(message, gen, verdict))
      .catch((error: unknown) => {
        log.error(
          { err: error, queue },
          "could not settle a message; the broker will redeliver it",
        );
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  }

  wrapper.on("error", (error: unknown) => {
    log.warn({ err: error, queue }, "consumer channel error; it is set up again on reconnect");
  });
  // Without its channel yet, consume() only records the consumer for later. With
  // the broker up, waiting for the channel makes "consuming" true when said, and
  // consumers register in the order they start (the first of two is the queue's
  // single active consumer). With the broker down, it registers on connect.
  if (connection.isConnected()) await wrapper.waitForConnect();
  await wrapper.consume(queue, onMessage, { prefetch: options.prefetch, noAck: false });
  log.info({ queue, prefetch: options.prefetch }, "consuming");

  return {
    async stop() {
      await wrapper.cancelAll();
      stopping.abort();
      await Promise.allSettled([...inFlight]);
      await wrapper.close();
      log.info({ queue }, "stopped consuming");
    },
  };
}

/** Waits `ms`, or less if the signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function deliveryCount(message: ConsumeMessage): number {
  const raw = (message.properties as AmqpProperties).headers?.["x-delivery-count"];
  if (typeof raw === "number") return raw;
  return message.fields.redelivered ? 1 : 0;
}

type Decoded =
  | { ok: true; envelope: MessageEnvelope; payload: PayloadOf<MessageType> }
  | { ok: false; reason: string };

function decode(message: ConsumeMessage, accepted: MessageType[], maxBytes: number): Decoded {
  if (message.content.length > maxBytes) {
    return { ok: false, reason: `body of ${message.content.length} bytes exceeds ${maxBytes}` };
  }
  const envelope = readEnvelope(message);
  if (!envelope.success) {
    return { ok: false, reason: `invalid envelope: ${z.prettifyError(envelope.error)}` };
  }
  const { type, schemaVersion } = envelope.data;
  if (!accepted.includes(type)) return { ok: false, reason: `unexpected message type ${type}` };
  const entry = CATALOG[type];
  if (schemaVersion !== entry.schemaVersion) {
    return { ok: false, reason: `unsupported schema version ${schemaVersion} of ${type}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${errorMessage(error)}` };
  }
  const payload = entry.schema.safeParse(body);
  if (!payload.success) {
    return { ok: false, reason: `invalid ${type}: ${z.prettifyError(payload.error)}` };
  }
  return { ok: true, envelope: envelope.data, payload: payload.data as PayloadOf<MessageType> };
}
