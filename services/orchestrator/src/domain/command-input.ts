import type { Actor, ParsedIntent } from "@textops/contracts";
import type { RunInput } from "./decide.js";
import type { Destination } from "./notices.js";

/** A person's command about an existing run. */
export type RunCommandIntent = Extract<
  ParsedIntent,
  { type: "ApproveRun" | "DenyRun" | "CancelRun" | "StatusQuery" }
>;

/** What a person's command does to the run, its notices going to `noticeTo`. */
export function commandInput(
  intent: RunCommandIntent,
  actor: Actor,
  noticeTo: Destination,
): RunInput {
  switch (intent.type) {
    case "ApproveRun":
      return { kind: "approve", actor, noticeTo };
    case "DenyRun":
      return { kind: "deny", actor, noticeTo };
    case "CancelRun":
      return { kind: "cancel", actor, noticeTo };
    case "StatusQuery":
      return { kind: "status", noticeTo };
  }
}
