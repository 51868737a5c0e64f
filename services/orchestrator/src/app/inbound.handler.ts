import type { InboundMessage, ParsedIntent } from "@textops/contracts";
import type { Delivery } from "@textops/messaging";
import type { Logger } from "pino";
import {
  answer,
  decisionAnswer,
  duplicateAnswer,
  forSender,
  type Answer,
} from "../domain/answers.js";
import { commandInput, type RunCommandIntent } from "../domain/command-input.js";
import type { Decision } from "../domain/decision.js";
import type { Run } from "../domain/stored-run.js";
import { notice, texts } from "../domain/notices.js";
import { parseIntent } from "../domain/parse-intent.js";
import { checkRunRequest } from "../domain/run-request.js";
import type { JobCatalog } from "../domain/catalog/index.js";
import { actorOf, addressOf, destinationOf, type Requester } from "../domain/requester.js";
import type { Approver } from "../domain/decide-under-policy.js";
import { peopleTexts } from "../domain/people-notices.js";
import { jobsFor, policyForRequest } from "../domain/run-policy.js";
import type { PeopleDirectory } from "./people-directory.js";
import type { UnknownSenders } from "./unknown-senders.js";
import type { Sender } from "./commit.js";
import { createRunCommand, type CreateRunDeps } from "./create-run.command.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { Clock, InboxEntry, InboxStore, RunOutputReader } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";
import { runLogsText } from "./run-logs.query.js";

export interface InboundDeps extends RunCommandDeps, CreateRunDeps {
  inbox: InboxStore;
  clock: Clock;
  catalog: JobCatalog;
  output: RunOutputReader;
  /** Serialises work per run; taken before the first await. */
  lock: KeyedLock;
  /** The directory of people; absent in open mode, where anyone may ask and approve. */
  directory?: PeopleDirectory;
  unknownSenders?: UnknownSenders;
}

type Outcome =
  /** Committed to a run; the sender was answered as soon as it was durable. */
  | { kind: "committed"; answer: Answer }
  /** The run already held this message's effect (a redelivery): the answer it holds. */
  | { kind: "held"; answer: Answer }
  /** Changed no run: the answer and its notices are kept in the inbox entry. */
  | { kind: "answer-only"; answer: Answer };

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
  const { messageId, correlationId } = delivery.envelope;
  const sender = senderOf(delivery, log);
  const entry = await recordInInbox(deps, m, messageId);
  if (entry.state === "done") {
    log.info({ intent: intent.type }, "duplicate inbound message; no effect");
    await deps.commit.finishInbox(entry); // left over if a crash came before publishing
    await deps.commit.answer(sender, duplicateAnswer(messageId, intent.type));
    return;
  }
  const now = Date.parse(entry.receivedAt);
  const requester: Requester = {
    channelId: m.channelId,
    from: m.from,
    conversation: m.conversation,
  };
  const person = deps.directory?.personAt(addressOf(requester));
  const applying: Applying = {
    requester: person === undefined ? requester : { ...requester, person },
    messageId,
    processedKey: `${m.channelId}:${m.providerMessageId}`,
    now,
    sender,
  };
  const known = deps.directory === undefined || person !== undefined;
  const outcome = known
    ? await apply(deps, entry, intent, applying)
    : refuseUnknownSender(deps, intent, applying);
  if (outcome.kind === "answer-only") {
    const key = { channelId: m.channelId, providerMessageId: m.providerMessageId };
    const commit = { key, answer: outcome.answer, causationId: messageId, correlationId, now };
    await deps.commit.answerOnly(commit, sender);
  }
  // A run holds the answer of the delivery that made its change: another
  // delivery of the same text (the channel sent it again) changed nothing.
  const repeated = outcome.answer.inboundMessageId !== messageId;
  log.info(
    { intent: intent.type, runId: outcome.answer.runId, repeated },
    "inbound message applied",
  );
  if (outcome.kind === "held") {
    await deps.commit.answer(
      sender,
      repeated ? duplicateAnswer(messageId, intent.type) : outcome.answer,
    );
  }
}

/** Who waits for the answer, if anyone: the dev channel waits on direct reply-to. */
function senderOf(delivery: Delivery<"InboundMessage">, log: Logger): Sender | null {
  if (!delivery.replyTo) return null;
  const { correlationId, messageId } = delivery.envelope;
  return { replyTo: delivery.replyTo, correlationId, causationId: messageId, log };
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

/** What the handler knows of the message being applied. */
interface Applying {
  requester: Requester;
  messageId: string;
  /** Marks a run as holding this message's effect. */
  processedKey: string;
  now: number;
  sender: Sender | null;
}

async function apply(
  deps: InboundDeps,
  entry: InboxEntry,
  intent: ParsedIntent,
  applying: Applying,
): Promise<Outcome> {
  const { processedKey } = applying;
  switch (intent.type) {
    case "RunJob": {
      const checked = checkRunRequest(deps.catalog, intent.jobKey, intent.parameters);
      if (!checked.ok)
        return noticeOnly(applying, intent, checked.reply, `refused:${processedKey}`);
      const { person } = applying.requester;
      const people = deps.directory?.context;
      const decided =
        person === undefined || people === undefined
          ? null
          : policyForRequest(
              people,
              intent.jobKey,
              checked.job,
              person,
              applying.now,
              deps.approvalTtlSeconds,
            );
      if (decided?.ok === false)
        return noticeOnly(applying, intent, decided.reply, `refused:${processedKey}`);
      const request = {
        ...(decided?.ok ? { policy: decided.policy } : {}),
        key: entry,
        processedKey,
        runId: entry.runId ?? deps.newRunId(),
        jobKey: intent.jobKey,
        job: checked.job,
        catalogVersion: deps.catalog.version,
        parameters: checked.parameters,
        requester: applying.requester,
        now: applying.now,
        messageId: applying.messageId,
      };
      const result = await createRunCommand(deps, request, applying.sender);
      if (checked.job.approval?.autoApprove === true) {
        await approveByPolicy(deps, result.answer.runId ?? request.runId, applying);
      }
      return { kind: result.kind === "applied" ? "committed" : "held", answer: result.answer };
    }
    case "Help":
      return noticeOnly(applying, intent, texts.help(), `help:${processedKey}`);
    case "ListJobs": {
      const { person } = applying.requester;
      const jobs = person === undefined ? deps.catalog.jobs : jobsFor(deps.catalog.jobs, person);
      return noticeOnly(applying, intent, texts.jobList(jobs), `jobs:${processedKey}`);
    }
    case "JobHelp": {
      const job = deps.catalog.jobs.get(intent.jobKey);
      const body = job ? texts.jobHelp(intent.jobKey, job) : texts.unknownJob(intent.jobKey);
      return noticeOnly(applying, intent, body, `job-help:${processedKey}`);
    }
    case "RunLogs": {
      const body = await runLogsText(deps, intent.runId, applying.requester.person);
      return noticeOnly(applying, intent, body, `logs:${processedKey}`, intent.runId);
    }
    case "Unknown":
      return noticeOnly(applying, intent, texts.unknown(intent.reason), `unknown:${processedKey}`);
    case "ApproveRun":
    case "DenyRun":
    case "CancelRun":
    case "StatusQuery":
      return applyRunCommand(deps, applying, intent);
  }
}

async function applyRunCommand(
  deps: InboundDeps,
  applying: Applying,
  intent: RunCommandIntent,
): Promise<Outcome> {
  const { requester, messageId, processedKey, now } = applying;
  const runAnswer = (run: Run, decision: Decision) =>
    decisionAnswer(messageId, intent.type, run.runId, decision);
  const request = {
    runId: intent.runId,
    input: commandInput(
      intent,
      actorOf(requester),
      destinationOf(requester),
      approverOf(requester),
    ),
    now,
    causationId: messageId,
    processedKey,
    // The run holds what its sender was answered: their own notices only.
    answer: (run: Run, decision: Decision) =>
      runAnswer(run, {
        ...decision,
        outbound: forSender(decision.outbound, destinationOf(requester)),
      }),
  };
  const result = await applyToRun(deps, request, applying.sender);
  switch (result.kind) {
    case "not-found": {
      const body = texts.notFound(intent.runId);
      return noticeOnly(applying, intent, body, `not-found:${processedKey}`, intent.runId);
    }
    case "already-applied":
      return { kind: "held", answer: result.processed.reply };
    case "applied":
      return { kind: "committed", answer: result.answer };
    case "unchanged":
      return { kind: "answer-only", answer: runAnswer(result.run, result.decision) };
  }
}

/**
 * A run of a job whose policy approves by itself is approved as soon as it is
 * stored, in a second write; were it lost to a crash, the sweeper does it.
 */
async function approveByPolicy(deps: InboundDeps, runId: string, applying: Applying) {
  const replyTo = destinationOf(applying.requester);
  const input = { kind: "approve" as const, actor: "policy" as const, replyTo };
  const causationId = `auto-approve:${runId}`;
  await deps.lock.run(runId, () =>
    applyToRun(deps, { runId, input, now: applying.now, causationId, processedKey: null }),
  );
}

/** A person of the directory, with the address they wrote from; none in open mode. */
function approverOf(requester: Requester): Approver | undefined {
  return requester.person === undefined
    ? undefined
    : { ...requester.person, address: addressOf(requester) };
}

/**
 * An address the directory does not know: one short answer that says nothing
 * of jobs or people, at most once per address per UNKNOWN_SENDER_WINDOW_MS;
 * repeated tries are answered with silence. Nothing else happens.
 */
function refuseUnknownSender(deps: InboundDeps, intent: ParsedIntent, applying: Applying): Outcome {
  const address = addressOf(applying.requester);
  const answered = deps.unknownSenders?.shouldAnswer(address, applying.now) ?? true;
  const key = `unknown-sender:${applying.processedKey}`;
  if (answered) return noticeOnly(applying, intent, peopleTexts.unknownSender(), key);
  const fields = { inboundMessageId: applying.messageId, intentType: intent.type, runId: null };
  return { kind: "answer-only", answer: answer({ ...fields, outbound: [] }) };
}

/** An answer that changes no run: one notice to the sender's conversation. */
function noticeOnly(
  applying: Applying,
  intent: ParsedIntent,
  body: string,
  idempotencyKey: string,
  runId: string | null = null,
): Outcome {
  const to = destinationOf(applying.requester);
  const outbound = [notice(to, body, runId ?? "", idempotencyKey)];
  const fields = { inboundMessageId: applying.messageId, intentType: intent.type, runId, outbound };
  return { kind: "answer-only", answer: answer(fields) };
}
