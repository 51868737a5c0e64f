import { describe, expect, test } from "vitest";
import { texts } from "./notices.js";
import { ago, peopleTexts } from "./people-notices.js";

const MINUTE = 60_000;
const run = (parameters: { name: string; value: string | number | boolean }[] = []) => ({
  runId: "K7Q2MX",
  jobKey: "deploy",
  parameters,
});

describe("the people commands' texts", () => {
  test.for<[string, string, string]>([
    [
      "whoami, with a linked address",
      peopleTexts.whoAmI({ id: "alice", name: "Alice Doe", roles: ["dev"] }, [
        { address: "dev:alice", linked: false },
        { address: "sms:+15551230001", linked: true },
      ]),
      "You are Alice Doe (alice), roles dev. Addresses: dev:alice, sms:+15551230001 (linked).",
    ],
    [
      "whoami, several roles",
      peopleTexts.whoAmI({ id: "carol", name: "Carol", roles: ["ops", "admin"] }, [
        { address: "dev:carol", linked: false },
      ]),
      "You are Carol (carol), roles ops, admin. Addresses: dev:carol.",
    ],
    [
      "whoami, no role",
      peopleTexts.whoAmI({ id: "erin", name: "Erin", roles: [] }, [
        { address: "dev:erin", linked: false },
      ]),
      "You are Erin (erin), no roles. Addresses: dev:erin.",
    ],
    [
      "a pending line",
      peopleTexts.pendingLine(run([{ name: "service", value: "api" }]), "Alice", 3 * MINUTE),
      "K7Q2MX deploy (service=api) from Alice, 3 min ago",
    ],
    [
      "a pending line, no parameters",
      peopleTexts.pendingLine(run(), "Alice", 0),
      "K7Q2MX deploy from Alice, just now",
    ],
    ["nothing waits", peopleTexts.nothingWaits(), "Nothing waits for your decision."],
    [
      "a runs line",
      peopleTexts.runLine({ ...run(), status: "Succeeded" }),
      "K7Q2MX deploy Succeeded",
    ],
    ["no runs", peopleTexts.noRuns(), "You have no runs yet."],
    [
      "several wait (yes)",
      peopleTexts.severalWait(["K7Q2MX", "P4W9ZT"], "YES"),
      "Several runs wait for your decision: K7Q2MX, P4W9ZT. Reply YES <id>.",
    ],
    [
      "several wait (no)",
      peopleTexts.severalWait(["K7Q2MX", "P4W9ZT"], "NO"),
      "Several runs wait for your decision: K7Q2MX, P4W9ZT. Reply NO <id>.",
    ],
    [
      "a link code",
      peopleTexts.linkCode("123456", 10),
      "Your link code is 123456 (valid 10 minutes). Send LINK 123456 from the address to link.",
    ],
    [
      "linked",
      peopleTexts.linked("sms:+15551230001", "Alice Doe"),
      "Linked sms:+15551230001 to Alice Doe.",
    ],
    [
      "linked, told on the old address",
      peopleTexts.linkedNotice("sms:+15551230001"),
      "sms:+15551230001 is now linked to you. If this was not you, tell an admin.",
    ],
    ["a wrong link code", peopleTexts.linkCodeWrong(), "That link code is not right."],
    [
      "a link code no longer valid",
      peopleTexts.linkCodeNoLongerValid(),
      "That code is no longer valid; send LINK again from a known address.",
    ],
    ["an address taken", peopleTexts.addressTaken(), "That address already belongs to someone."],
    [
      "open mode",
      peopleTexts.needsDirectory(),
      "That command needs a directory of people; TextOps runs without one here.",
    ],
    [
      "help",
      texts.help(),
      "Commands: run <job> [key=value …] · yes [<id>] · no [<id>] · status <id> · cancel <id> · logs <id> · jobs · help <job> · pending · runs · whoami · link [<code>] · help",
    ],
  ])("%s", ([, text, expected]) => {
    expect(text).toBe(expected);
  });

  test.for<[number, string]>([
    [0, "just now"],
    [59_999, "just now"],
    [MINUTE, "1 min ago"],
    [59 * MINUTE, "59 min ago"],
    [60 * MINUTE, "1 h ago"],
    [47 * 60 * MINUTE, "47 h ago"],
    [48 * 60 * MINUTE, "2 days ago"],
  ])("%d ms is %s", ([ms, expected]) => {
    expect(ago(ms)).toBe(expected);
  });
});
