import { describe, expect, test } from "vitest";
import { smsKeyword } from "./sms-keywords.js";

describe(smsKeyword.name, () => {
  test.each([
    ["STOP", "opt-out"],
    ["stopall", "opt-out"],
    ["Unsubscribe", "opt-out"],
    [" cancel ", "opt-out"],
    ["END", "opt-out"],
    ["quit\n", "opt-out"],
    ["START", "opt-in"],
    ["yes", "opt-in"],
    ["Unstop", "opt-in"],
    ["HELP", "help"],
    ["info", "help"],
  ] as const)("%j is %s", (body, keyword) => {
    expect(smsKeyword(body)).toBe(keyword);
  });

  test.each(["yes K7Q2MX", "cancel K7Q2MX", "stop please", "run demo", "", "STOPP", "help me"])(
    "%j is no keyword",
    (body) => {
      expect(smsKeyword(body)).toBeNull();
    },
  );

  test("Twilio's OptOutType wins over the text (Advanced Opt-Out keywords)", () => {
    expect(smsKeyword("arrêt", "STOP")).toBe("opt-out");
    expect(smsKeyword("stop", "START")).toBe("opt-in");
    expect(smsKeyword("aide", "help")).toBe("help");
  });

  test("an unknown or empty OptOutType leaves the text to decide", () => {
    expect(smsKeyword("STOP", "")).toBe("opt-out");
    expect(smsKeyword("run demo", "SOMETHING")).toBeNull();
  });
});
