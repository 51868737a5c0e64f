import type { InboundMessage, OrchestratorReply, ParsedIntent } from "@textops/contracts";
import type { Delivery } from "@textops/messaging";
import type { Logger } from "pino";
import { answer, decisionAnswer, duplicateAnswer } from "../domain/answers.js";
import { commandInput } from "../domain/command-input.js";
import { parseIntent } from "../domain/parse-intent.js";
import { notice, texts } from "../domain/notices.js";
import { actorOf, destinationOf, type Requester } from "../domain/requester.js";
import { createRunCommand, type CreateRunDeps } from "./create-run.command.js";
import { outboxEntries } from "../domain/outbox-entries.js";
import type { Clock, InboxEntry, InboxKey, InboxStore, Publisher } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";
import { replyLook } from "../domain/look-plan.js";

export interface InboundDeps extends RunCommandDeps, CreateRunDeps {
  inbox: InboxStore;
  publisher: Publisher;
  clock: Clock;
}

type Outcome =
  /** The run holds the effect and the answer (its `processed` list); the inbox entry is left as recorded. */
  | { kind: "on-run"; reply: OrchestratorReply }
  /** A reply that changed no run: its outbound messages wait in the inbox entry until published. */
  | { kind: "reply-only"; reply: OrchestratorReply };

/**
 * Takes one inbound text: records it in the inbox (a repeat has no effect),
 * parses it, applies it, and answers the sender's replyTo.
 */
export function createInboundHandler(deps: InboundDeps) {
  return (delivery: Delivery<"InboundMessage">, log: Logger): Promise<void> => {
    const intent = parseIntent(delivery.payload.body);
    // Taken before any await, so commands about one run apply in queue order.
    const runId = "runId" in intent ? intent.runId : null;
    const work = () => handle(deps, delivery, intent, log);
    return runId === null ? work() : deps.lock.run(runId, work);
  };
}

async function handle(
  deps: InboundDeps,
  delivery: Delivery<"InboundMessage">,
  intent: ParsedIntent,
  log: Logger,
): Promise<void> {
  const m = delivery.payload;
  const key = { channelId: m.channelId, providerMessageId: m.providerMessageId };
  const entry = await recordInInbox(deps, m, delivery.envelope.messageId);
  if (entry.state === "done") {
    log.info({ intent: intent.type }, "duplicate inbound message; no effect");
    await deps.relay.flushInbox(key, entry.outbox); // left over if a crash came before publishing
    await answerSender(
      deps,
      delivery,
      duplicateAnswer(delivery.envelope.messageId, intent.type),
      log,
    );
    return;
  }
  const now = Date.parse(entry.receivedAt);
  const messageId = delivery.envelope.messageId;
  const sender = senderAnswer(deps, delivery, log);
  const outcome = await apply(deps, m, entry, intent, now, messageId, sender.send);
  if (outcome.kind === "reply-only") {
    await completeInInbox(deps, key, outcome, now, delivery, sender.send);
  }
  // A run holds the answer of the delivery that made its change: another
  // delivery of the same text (the channel sent it again) changed nothing.
  const repeated = outcome.reply.inboundMessageId !== messageId;
  log.info(
    { intent: intent.type, runId: outcome.reply.runId, repeated },
    "inbound message applied",
  );
  sender.send(repeated ? duplicateAnswer(messageId, intent.type) : outcome.reply);
  await sender.sent();
}

/**
 * The sender's answer, published once: as soon as the effect is durable,
 * while what the effect sends is still being published (the sender waits on
 * an HTTP request; what it is told is already safe), or else at the end.
 */
function senderAnswer(deps: InboundDeps, delivery: Delivery<"InboundMessage">, log: Logger) {
  let answered: Promise<void> | null = null;
  return {
    send: (reply: OrchestratorReply) => {
      answered ??= answerSender(deps, delivery, reply, log);
    },
    sent: () => answered ?? Promise.resolve(),
  };
}

/** Marks a reply-only message done, keeping its replies until they are published. */
async function completeInInbox(
  deps: InboundDeps,
  key: InboxKey,
  outcome: Extract<Outcome, { kind: "reply-only" }>,
  now: number,
  delivery: Delivery<"InboundMessage">,
  onWritten: (reply: OrchestratorReply) => void,
) {
  const entries = outboxEntries(
    { outbound: outcome.reply.outbound, dispatch: null, cancel: null },
    delivery.envelope.messageId,
    outcome.reply.runId ?? delivery.envelope.correlationId,
    new Date(now).toISOString(),
  );
  const plan = replyLook(deps.clock(), deps.outboxAgeMs);
  const watched = await deps.inbox.complete(key, outcome.reply, entries, plan);
  onWritten(outcome.reply);
  await deps.relay.flushInbox(key, entries);
  if (watched) await deps.inbox.settle(watched, null); // published: nothing left to look at
}

async function recordInInbox(deps: InboundDeps, m: InboundMessage, messageId: string) {
  const fresh: InboxEntry = {
    channelId: m.channelId,
    providerMessageId: m.providerMessageId,
    messageId,
    receivedAt: new Date(deps.clock()).toISOString(),
    state: "processing",
    runId: deps.newRunId(),
    reply: null,
    outbox: [],
  };
  const recorded = await deps.inbox.record(fresh);
  return recorded.kind === "recorded" ? fresh : recorded.existing;
}

async function apply(
  deps: InboundDeps,
  m: InboundMessage,
  entry: InboxEntry,
  intent: ParsedIntent,
  now: number,
  messageId: string,
  onWritten: (reply: OrchestratorReply) => void,
): Promise<Outcome> {
  const requester: Requester = {
    channelId: m.channelId,
    from: m.from,
    conversation: m.conversation,
  };
  const to = destinationOf(requester);
  const processedKey = `${m.channelId}:${m.providerMessageId}`;
  const only = (body: string, idempotencyKey: string, runId: string | null = null): Outcome => {
    const outbound = [notice(to, body, runId ?? "", idempotencyKey)];
    const reply = answer({ inboundMessageId: messageId, intentType: intent.type, runId, outbound });
    return { kind: "reply-only", reply };
  };
  switch (intent.type) {
    case "RunJob": {
      const reply = await createRunCommand(deps, {
        key: entry,
        processedKey,
        runId: entry.runId ?? deps.newRunId(),
        jobKey: intent.jobKey,
        parameters: intent.parameters,
        requester,
        now,
        messageId,
        onWritten,
      });
      return { kind: "on-run", reply };
    }
    case "Help":
      return only(texts.help(), `help:${processedKey}`);
    case "Unknown":
      return only(texts.unknown(intent.reason), `unknown:${processedKey}`);
    case "ApproveRun":
    case "DenyRun":
    case "CancelRun":
    case "StatusQuery": {
      const input = commandInput(intent, actorOf(requester), to);
      const result = await applyToRun(deps, {
        runId: intent.runId,
        input,
        now,
        causationId: messageId,
        processedKey,
        reply: (run, decision) => decisionAnswer(messageId, intent.type, run.runId, decision),
        onWritten,
      });
      switch (result.kind) {
        case "not-found":
          return only(texts.notFound(intent.runId), `not-found:${processedKey}`, intent.runId);
        case "already-applied":
          return { kind: "on-run", reply: result.processed.reply };
        case "applied":
          return { kind: "on-run", reply: result.reply };
        case "unchanged":
          return {
            kind: "reply-only",
            reply: decisionAnswer(messageId, intent.type, result.run.runId, result.decision),
          };
      }
    }
  }
}

async function answerSender(
  deps: InboundDeps,
  delivery: Delivery<"InboundMessage">,
  reply: OrchestratorReply,
  log: Logger,
) {
  if (!delivery.replyTo) return;
  try {
    await deps.publisher.publish("OrchestratorReply", reply, {
      replyTo: delivery.replyTo,
      correlationId: delivery.envelope.correlationId,
      causationId: delivery.envelope.messageId,
    });
  } catch (error) {
    // The answer is a courtesy to a waiting HTTP request; the effect is already durable.
    log.warn({ err: error }, "could not answer the sender; it will time out and poll");
  }
}
