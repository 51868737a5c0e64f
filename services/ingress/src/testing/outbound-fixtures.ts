import type { OutboundMessage } from "@textops/contracts";
import { expect } from "vitest";

/** An approval request's buttons, as the orchestrator sends them for run K7Q2MX. */
export const APPROVE_AND_DENY = [
  { label: "Approve", reply: "yes K7Q2MX" },
  { label: "Deny", reply: "no K7Q2MX" },
];

/** A notice about run K7Q2MX to `conversation`, with `fields` over it. */
export function aNoticeTo(
  conversation: string,
  fields: Partial<OutboundMessage> = {},
): OutboundMessage {
  const colon = conversation.indexOf(":");
  return {
    channelId: conversation.slice(0, colon),
    conversation,
    body: "Run K7Q2MX of deploy needs your approval.",
    correlationId: "K7Q2MX",
    idempotencyKey: `approval-request:K7Q2MX:${conversation.slice(colon + 1)}`,
    ...fields,
  };
}

/** The error `promise` rejects with, which must be of `type`. */
export async function rejection<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
