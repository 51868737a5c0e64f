import type { OutboundMessage } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aDispatch } from "../testing/run-builder.js";
import { answer, decisionAnswer, duplicateAnswer, forSender } from "./answers.js";

const ask: OutboundMessage = {
  channelId: "dev",
  conversation: "dev:user1",
  body: "Reply YES",
  correlationId: "K7Q2MX",
  idempotencyKey: "approval-request:K7Q2MX",
};

describe(answer.name, () => {
  test("fields left out take their defaults", () => {
    expect(answer({ inboundMessageId: "in-1", intentType: "Help" })).toEqual({
      inboundMessageId: "in-1",
      intentType: "Help",
      jobKey: null,
      runId: null,
      dispatchedExecution: false,
      duplicate: false,
      outbound: [],
    });
  });

  test("fields given are kept", () => {
    const fields = { jobKey: "demo", runId: "K7Q2MX", outbound: [ask] };
    expect(answer({ inboundMessageId: "in-1", intentType: "RunJob", ...fields })).toMatchObject(
      fields,
    );
  });
});

describe(duplicateAnswer.name, () => {
  test("says the message was a duplicate and sends nothing", () => {
    expect(duplicateAnswer("in-2", "ApproveRun")).toEqual(
      answer({ inboundMessageId: "in-2", intentType: "ApproveRun", duplicate: true }),
    );
  });
});

describe(decisionAnswer.name, () => {
  test("names the run, its notices, and whether an execution was dispatched", () => {
    const dispatch = aDispatch();
    expect(decisionAnswer("in-3", "ApproveRun", "K7Q2MX", { outbound: [ask], dispatch })).toEqual(
      answer({
        inboundMessageId: "in-3",
        intentType: "ApproveRun",
        runId: "K7Q2MX",
        dispatchedExecution: true,
        outbound: [ask],
      }),
    );
    expect(
      decisionAnswer("in-4", "StatusQuery", "K7Q2MX", { outbound: [], dispatch: null })
        .dispatchedExecution,
    ).toBe(false);
  });
});

describe(forSender.name, () => {
  test("keeps the sender's own notices: not another's, nor an edit of one sent before", () => {
    const told = { ...ask, body: "Denied.", idempotencyKey: "denied:K7Q2MX" };
    const another = { ...ask, conversation: "dev:bob", idempotencyKey: "denied-by:K7Q2MX" };
    const edit = {
      ...ask,
      idempotencyKey: `${ask.idempotencyKey}:denied`,
      replaces: ask.idempotencyKey,
    };

    expect(
      forSender([told, another, edit], { channelId: "dev", conversation: "dev:user1" }),
    ).toEqual([told]);
  });
});
