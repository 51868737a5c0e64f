import { describe, expect, test } from "vitest";
import type { RefusalReason } from "./decide-approval.js";
import { policyTexts, refusalText } from "./policy-texts.js";

const names = new Map([
  ["bob", "Bob"],
  ["carol", "Carol"],
]);

describe("policyTexts", () => {
  test.for([
    [
      policyTexts.mayNotRun("deploy", "it is only for roles dev, ops"),
      'You may not run job "deploy": it is only for roles dev, ops.',
    ],
    [
      policyTexts.tooFewApprovers("deploy", 2, 1),
      'Job "deploy" was not run: it needs 2 approvals and only 1 person may give one.',
    ],
    [
      policyTexts.tooFewApprovers("deploy", 1, 0),
      'Job "deploy" was not run: it needs 1 approval and only 0 people may give one.',
    ],
    [policyTexts.needsApprovals(2, ["bob", "carol"], names), "Needs 2 approvals from: Bob, Carol."],
    [policyTexts.needsApprovals(1, ["bob", "dave"], names), "Needs 1 approval from: Bob, dave."],
    [policyTexts.approvedBy("bob", 1, 2, names), "Approved by Bob (1 of 2)."],
    [policyTexts.approvedBy("dave", 2, 2, names), "Approved by dave (2 of 2)."],
    [policyTexts.alreadyApproved("K7Q2MX"), "You already approved run K7Q2MX."],
    [policyTexts.withdrawInstead("K7Q2MX"), "To withdraw run K7Q2MX, send CANCEL K7Q2MX."],
    [
      policyTexts.confirmCode("K7Q2MX", "ABC234"),
      "Your confirm code for run K7Q2MX is ABC234: reply YES K7Q2MX ABC234 to approve.",
    ],
    [
      policyTexts.escalated("K7Q2MX", ["dave"], names),
      "Run K7Q2MX still waits for approval; it now goes to dave as well.",
    ],
    [
      policyTexts.autoApproved("K7Q2MX", "echo"),
      'Run K7Q2MX for job "echo" is approved by policy.',
    ],
  ])("%s", ([text, expected]) => {
    expect(text).toBe(expected);
  });
});

describe(refusalText.name, () => {
  test.for([
    ["self-approval", "You asked for run K7Q2MX; someone else must approve it."],
    ["not-an-approver", "You are not an approver of run K7Q2MX."],
    ["code-missing", "Run K7Q2MX needs your confirm code: reply YES K7Q2MX <code>."],
    ["code-wrong", "That confirm code is not right for run K7Q2MX."],
  ] satisfies [RefusalReason, string][])("%s: %s", ([reason, text]) => {
    expect(refusalText(reason, "K7Q2MX")).toBe(text);
  });
});
