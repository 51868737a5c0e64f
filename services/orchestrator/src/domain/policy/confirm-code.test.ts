import { describe, expect, test } from "vitest";
import {
  CONFIRM_CODE_ALPHABET,
  codesMatch,
  confirmCodeFor,
  type ConfirmCodeInput,
} from "./confirm-code.js";

const SECRET = "test-confirm-secret";
const input: ConfirmCodeInput = {
  runId: "K7Q2MX",
  jobHash: "0123456789abcdef01234567",
  parameters: [
    { name: "service", value: "api" },
    { name: "replicas", value: 2 },
  ],
  approverId: "bob",
};

describe(confirmCodeFor.name, () => {
  test("six upper-case characters without 0, O, 1, I or L", () => {
    expect(CONFIRM_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    for (let i = 0; i < 500; i++) {
      const code = confirmCodeFor(SECRET, { ...input, runId: `RUN${i}` });
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    }
  });

  test("the same input gives the same code, whatever the order of its keys", () => {
    const reordered = {
      approverId: input.approverId,
      parameters: input.parameters,
      jobHash: input.jobHash,
      runId: input.runId,
    };

    expect(confirmCodeFor(SECRET, reordered)).toBe(confirmCodeFor(SECRET, input));
  });

  test.for([
    ["another approver", { ...input, approverId: "carol" }, SECRET],
    ["another run", { ...input, runId: "K7Q2MY" }, SECRET],
    ["another definition", { ...input, jobHash: "ffffffffffffffffffffffff" }, SECRET],
    ["other parameters", { ...input, parameters: [{ name: "service", value: "web" }] }, SECRET],
    ["another secret", input, "another-secret"],
  ] as const)("%s gives another code", ([, other, secret]) => {
    expect(confirmCodeFor(secret, other)).not.toBe(confirmCodeFor(SECRET, input));
  });
});

describe(codesMatch.name, () => {
  const code = confirmCodeFor(SECRET, input);

  test.for([
    ["itself", code, true],
    ["in lower case", code.toLowerCase(), true],
    ["with spaces around", ` ${code} `, true],
    ["another code", confirmCodeFor(SECRET, { ...input, approverId: "carol" }), false],
    ["a prefix", code.slice(0, 5), false],
    ["longer", `${code}A`, false],
    ["empty", "", false],
  ] as const)("%s: %s", ([, given, matches]) => {
    expect(codesMatch(given, code)).toBe(matches);
  });
});
