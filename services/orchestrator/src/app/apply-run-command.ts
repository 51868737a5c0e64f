import { decisionAnswer, forSender } from "../domain/answers.js";
import { commandInput, type RunCommandIntent } from "../domain/command-input.js";
import type { Approver } from "../domain/decide-under-policy.js";
import type { Decision } from "../domain/decision.js";
import { texts } from "../domain/notices.js";
import { actorOf, addressOf, destinationOf, type Requester } from "../domain/requester.js";
import type { Run } from "../domain/stored-run.js";
import { noticeOnly, type Applying, type Outcome } from "./inbound-outcome.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";

/**
 * A person's command about one run (yes, no, cancel, status, and a bare yes
 * or no once its run is found), applied under the run's lock.
 */
export async function applyRunCommand(
  deps: RunCommandDeps,
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

/** A person of the directory, with the address they wrote from; none in open mode. */
function approverOf(requester: Requester): Approver | undefined {
  return requester.person === undefined
    ? undefined
    : { ...requester.person, address: addressOf(requester) };
}
