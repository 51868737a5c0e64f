import type { Actor, ParsedIntent } from "@textops/contracts";
import type { RunInput } from "./decide.js";
import type { Destination } from "./notices.js";

/** A person's command about an existing run. */
export type RunCommandIntent = Extract<
  ParsedIntent,
  { type: "ApproveRun" | "DenyRun" | "CancelRun" | "StatusQuery" }
>;

/** What a person's command does to the run, its notices going to `replyTo`. */
export function commandInput(
  intent: RunCommandIntent,
  actor: Actor,
  replyTo: Destination,
): RunInput {
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
