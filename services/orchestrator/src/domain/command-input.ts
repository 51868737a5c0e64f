import type { Actor, ParsedIntent } from "@textops/contracts";
import type { RunInput } from "./decide.js";
import type { Approver } from "./decide-under-policy.js";
import type { Destination } from "./notices.js";

/** A person's command about an existing run. */
export type RunCommandIntent = Extract<
  ParsedIntent,
  { type: "ApproveRun" | "DenyRun" | "CancelRun" | "StatusQuery" }
>;

/**
 * What a person's command does to the run, its notices going to `replyTo`;
 * `by` is the person of the directory who sent it (absent in open mode).
 */
export function commandInput(
  intent: RunCommandIntent,
  actor: Actor,
  replyTo: Destination,
  by?: Approver,
): RunInput {
  const person = by === undefined ? {} : { by };
  switch (intent.type) {
    case "ApproveRun":
      return { kind: "approve", actor, replyTo, ...person, code: intent.code ?? null };
    case "DenyRun":
      return { kind: "deny", actor, replyTo, ...person };
    case "CancelRun":
      return { kind: "cancel", actor, replyTo, ...person };
    case "StatusQuery":
      return { kind: "status", replyTo, ...person };
  }
}
