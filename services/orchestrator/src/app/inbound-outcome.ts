import type { OutboundMessage, ParsedIntent } from "@textops/contracts";
import { answer, type Answer } from "../domain/answers.js";
import { notice } from "../domain/notices.js";
import { destinationOf, type Requester } from "../domain/requester.js";
import type { Sender } from "./commit.js";

/** What the inbound handler knows of the message being applied. */
export interface Applying {
  requester: Requester;
  messageId: string;
  /** Marks a run as holding this message's effect; keys every other effect of it too. */
  processedKey: string;
  now: number;
  sender: Sender | null;
}

export type Outcome =
  /** Committed to a run; the sender was answered as soon as it was durable. */
  | { kind: "committed"; answer: Answer }
  /** The run already held this message's effect (a redelivery): the answer it holds. */
  | { kind: "held"; answer: Answer }
  /**
   * Changed no run: the answer and its notices are kept in the inbox entry;
   * `kept`, when given, is what the entry keeps of the answer instead (one
   * carrying a secret keeps it masked).
   */
  | { kind: "answer-only"; answer: Answer; kept?: Answer };

/** An answer that changes no run: these notices. */
export function noticesOnly(
  applying: Applying,
  intent: ParsedIntent,
  outbound: OutboundMessage[],
  runId: string | null = null,
): Outcome {
  const fields = { inboundMessageId: applying.messageId, intentType: intent.type, runId, outbound };
  return { kind: "answer-only", answer: answer(fields) };
}

/** An answer that changes no run: one notice to the sender's conversation. */
export function noticeOnly(
  applying: Applying,
  intent: ParsedIntent,
  body: string,
  idempotencyKey: string,
  runId: string | null = null,
): Outcome {
  const to = destinationOf(applying.requester);
  return noticesOnly(applying, intent, [notice(to, body, runId ?? "", idempotencyKey)], runId);
}
