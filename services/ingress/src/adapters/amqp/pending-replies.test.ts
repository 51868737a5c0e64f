import type { OrchestratorReply } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { within } from "../timeout.js";
import { PendingReplies } from "./pending-replies.js";

const aReply = (inboundMessageId: string): OrchestratorReply => ({
  inboundMessageId,
  intentType: "Help",
  jobKey: null,
  runId: null,
  dispatchedExecution: false,
  duplicate: false,
  outbound: [],
});

describe(PendingReplies.name, () => {
  test("hands a reply to the request with its correlation id", async () => {
    const pending = new PendingReplies();
    const a = pending.register("corr-a", "msg-a");
    const b = pending.register("corr-b", "msg-b");

    expect(pending.deliver("corr-b", aReply("msg-b"))).toBe(true);

    expect(await b.reply).toEqual(aReply("msg-b"));
    expect(await within(a.reply, 10)).toBe("timeout");
    expect(pending.size).toBe(1);
  });

  test("with a shared correlation id, the reply goes to the message it answers", async () => {
    const pending = new PendingReplies();
    const first = pending.register("shared", "msg-1");
    const second = pending.register("shared", "msg-2");

    pending.deliver("shared", aReply("msg-2"));
    pending.deliver("shared", aReply("unknown-message"));

    expect((await second.reply).inboundMessageId).toBe("msg-2");
    expect((await first.reply).inboundMessageId).toBe("unknown-message");
    expect(pending.size).toBe(0);
  });

  test("a reply for a request that stopped waiting finds no one", () => {
    const pending = new PendingReplies();
    pending.register("corr", "msg").cancel();

    expect(pending.deliver("corr", aReply("msg"))).toBe(false);
    expect(pending.size).toBe(0);
  });
});

describe(within.name, () => {
  test("gives the value when it comes in time", async () => {
    expect(await within(Promise.resolve(42), 1000)).toBe(42);
  });

  test("gives up after the time", async () => {
    expect(await within(new Promise(() => {}), 5)).toBe("timeout");
  });
});
