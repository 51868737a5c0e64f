import { describe, expect, test } from "vitest";
import { askModal, askPressOf, submittedAnswerOf } from "./slack-ask.js";

const ASK = { reply: "yes K7Q2MX", asks: "Confirm code" };
const press = (value: string, actionId = "textops_ask_0") => ({
  type: "block_actions",
  trigger_id: "1337.42.abc",
  user: { id: "U0BOB0001" },
  channel: { id: "D0BOB0001" },
  actions: [{ action_id: actionId, value }],
});
const submission = (privateMetadata: string, value: string | null) => ({
  type: "view_submission",
  user: { id: "U0BOB0001" },
  view: {
    id: "V0ASK0001",
    private_metadata: privateMetadata,
    state: { values: { textops_value: { value: { type: "plain_text_input", value } } } },
  },
});
const AT = "2026-12-02T14:02:00.000Z";

describe(askPressOf.name, () => {
  test("a press of an asking button: the trigger, what to ask, and the channel pressed in", () => {
    expect(askPressOf(press(JSON.stringify(ASK)))).toEqual({
      triggerId: "1337.42.abc",
      ask: { ...ASK, channel: "D0BOB0001" },
    });
  });

  test.for([
    ["a reply button", press("yes K7Q2MX", "textops_reply_0")],
    ["a value that is no JSON", press("yes K7Q2MX")],
    ["a value without what to ask", press(JSON.stringify({ reply: "yes K7Q2MX" }))],
  ])("%s is no asking press", ([, body]) => {
    expect(askPressOf(body)).toBeNull();
  });
});

describe(askModal.name, () => {
  test("one input under the label asked for; the reply and channel ride in private_metadata", () => {
    const modal = askModal({ ...ASK, channel: "D0BOB0001" });

    expect(modal).toMatchObject({
      type: "modal",
      callback_id: "textops_ask",
      blocks: [{ type: "input", label: { type: "plain_text", text: "Confirm code" } }],
    });
    expect(JSON.parse(modal.private_metadata)).toEqual({ ...ASK, channel: "D0BOB0001" });
  });
});

describe(submittedAnswerOf.name, () => {
  const metadata = JSON.stringify({ ...ASK, channel: "D0BOB0001" });

  test("the reply with the value typed, trimmed, from the submitter, keyed by the view", () => {
    expect(submittedAnswerOf(submission(metadata, " 4821 "), AT)).toEqual({
      kind: "message",
      message: {
        channelId: "slack",
        providerMessageId: "view:V0ASK0001",
        from: "U0BOB0001",
        conversation: "D0BOB0001",
        body: "yes K7Q2MX 4821",
        receivedAt: AT,
      },
    });
  });

  test.for<[string, string | null]>([
    ["nothing typed", null],
    ["only spaces", "   "],
    ["two words", "48 21"],
  ])("%s: the modal says what to type", ([, value]) => {
    expect(submittedAnswerOf(submission(metadata, value), AT)).toEqual({
      kind: "invalid",
      errors: { textops_value: "Type the confirm code, without spaces." },
    });
  });

  test("a modal whose metadata is not ours is no answer", () => {
    expect(submittedAnswerOf(submission("{}", "4821"), AT)).toBeNull();
  });
});
