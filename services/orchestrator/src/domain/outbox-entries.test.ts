import type { OutboundMessage } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aDispatch } from "../testing/run-builder.js";
import { outboxEntries } from "./outbox-entries.js";

const notice = (body: string): OutboundMessage => ({
  channelId: "dev",
  conversation: "dev:user1",
  body,
  correlationId: "K7Q2MX",
  idempotencyKey: `key:${body}`,
});
const dispatch = aDispatch();
const AT = "2026-11-26T12:00:00.000Z";

describe(outboxEntries.name, () => {
  test("each notice, then the dispatch, then the cancel, with ids derived from the cause", () => {
    const entries = outboxEntries(
      {
        outbound: [notice("a"), notice("b")],
        dispatch,
        cancel: { runId: "K7Q2MX", attempt: 1 },
      },
      "in-1",
      "K7Q2MX",
      AT,
    );
    expect(entries.map((e) => [e.type, e.messageId])).toEqual([
      ["OutboundMessage", "in-1:out0"],
      ["OutboundMessage", "in-1:out1"],
      ["ExecutionDispatch", "in-1:dispatch"],
      ["ExecutionCancelRequested", "in-1:cancel"],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ correlationId: "K7Q2MX", causationId: "in-1", occurredAt: AT });
    }
    expect(entries[0]?.payload).toEqual(notice("a"));
  });

  test("a held-back dispatch carries its delay; others carry none", () => {
    const held = outboxEntries(
      { outbound: [], dispatch, cancel: null, dispatchDelayMs: 5_000 },
      "c",
      "r",
      AT,
    );
    expect(held).toEqual([expect.objectContaining({ type: "ExecutionDispatch", delayMs: 5_000 })]);
    const now = outboxEntries({ outbound: [], dispatch, cancel: null }, "c", "r", AT);
    expect(now[0]).not.toHaveProperty("delayMs");
  });

  test("the same cause gives the same entries, so a replay is dropped by receivers", () => {
    const decision = { outbound: [notice("a")], dispatch: null, cancel: null };
    expect(outboxEntries(decision, "c", "r", AT)).toEqual(outboxEntries(decision, "c", "r", AT));
    expect(outboxEntries({ outbound: [], dispatch: null, cancel: null }, "c", "r", AT)).toEqual([]);
  });
});
