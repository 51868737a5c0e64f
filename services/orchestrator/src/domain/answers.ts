import type { OrchestratorReply, OutboundMessage } from "@textops/contracts";
import type { Decision } from "./decision.js";

/*
 * Answers: what the orchestrator tells ingress about one message it took in
 * (OrchestratorReply on the wire, sent to the message's replyTo). Every
 * answer is built here, from plain fields.
 */

export type Answer = OrchestratorReply;

/** The fields an answer is made of; what is left out is the answer's default. */
export interface AnswerFields {
  /** The message answered (for a worker callback or a sweep: its cause). */
  inboundMessageId: string;
  intentType: string;
  runId?: string | null;
  jobKey?: string | null;
  dispatchedExecution?: boolean;
  duplicate?: boolean;
  /** The notices the message caused, as they are sent. */
  outbound?: OutboundMessage[];
}

export function answer(fields: AnswerFields): Answer {
  return {
    inboundMessageId: fields.inboundMessageId,
    intentType: fields.intentType,
    jobKey: fields.jobKey ?? null,
    runId: fields.runId ?? null,
    dispatchedExecution: fields.dispatchedExecution ?? false,
    duplicate: fields.duplicate ?? false,
    outbound: fields.outbound ?? [],
  };
}

/** For a message taken in before: it has no effect again, and says so. */
export function duplicateAnswer(inboundMessageId: string, intentType: string): Answer {
  return answer({ inboundMessageId, intentType, duplicate: true });
}

/** For a command about an existing run, from what was decided on it. */
export function decisionAnswer(
  inboundMessageId: string,
  intentType: string,
  runId: string,
  decision: Pick<Decision, "outbound" | "dispatch">,
): Answer {
  return answer({
    inboundMessageId,
    intentType,
    runId,
    dispatchedExecution: decision.dispatch !== null,
    outbound: decision.outbound,
  });
}

/**
 * The notices of `outbound` that go to `conversation` (on `channelId`): what
 * an answer shows its sender. Notices to other people (an approver's request,
 * with their confirm code) are theirs to read, not the sender's; nor is an
 * edit of a notice sent before (`replaces`), which only channels that edit
 * in place show.
 */
export function forSender(
  outbound: readonly OutboundMessage[],
  to: { channelId: string; conversation: string },
): OutboundMessage[] {
  return outbound.filter(
    (n) =>
      n.replaces === undefined &&
      n.channelId === to.channelId &&
      n.conversation === to.conversation,
  );
}
