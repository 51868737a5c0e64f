import type { Actor, OrchestratorReply, ParsedIntent } from "@textops/contracts";
import type { Run } from "../domain/stored-run.js";
import type { RunInput } from "../domain/decide.js";
import type { Decision } from "../domain/decision.js";
import type { Destination } from "../domain/replies.js";

type RunCommand = Extract<
  ParsedIntent,
  { type: "ApproveRun" | "DenyRun" | "CancelRun" | "StatusQuery" }
>;

export function commandInput(intent: RunCommand, actor: Actor, replyTo: Destination): RunInput {
  switch (intent.type) {
    case "ApproveRun":
      return { kind: "approve", actor, replyTo };
    case "DenyRun":
      return { kind: "deny", actor, replyTo };
    case "CancelRun":
      return { kind: "cancel", actor, replyTo };
    case "StatusQuery":
      return { kind: "status", replyTo };
  }
}

/** The answer to ingress for a command about an existing run. */
export function commandReply(
  messageId: string,
  intent: RunCommand,
  run: Run,
  decision: Decision,
): OrchestratorReply {
  return {
    inboundMessageId: messageId,
    intentType: intent.type,
    jobKey: null,
    runId: run.runId,
    dispatchedExecution: decision.dispatch !== null,
    duplicate: false,
    outbound: decision.outbound,
  };
}
