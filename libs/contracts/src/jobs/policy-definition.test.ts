import { describe, expect, test } from "vitest";
import type { z } from "zod";
import {
  AccessPolicy,
  ApprovalPolicy,
  Duration,
  parseDuration,
  PolicyName,
} from "./policy-definition.js";

/** Each issue as `path: message`, what a catalog author would read. */
function problems(schema: z.ZodType, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe(parseDuration.name, () => {
  test.for([
    ["1s", 1],
    ["90s", 90],
    ["30m", 30 * 60],
    ["24h", 24 * 60 * 60],
    ["7d", 7 * 24 * 60 * 60],
    ["30d", 30 * 24 * 60 * 60],
    ["720h", 30 * 24 * 60 * 60],
  ] as const)("%s is %i seconds", ([text, seconds]) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  const format = "a duration is a whole number then s, m, h or d (90s, 30m, 24h, 7d)";
  test.for([
    ["0s", "a duration is at least 1s"],
    ["31d", "a duration is at most 30d"],
    ["2592001s", "a duration is at most 30d"],
    ["5x", format],
    ["m", format],
    ["", format],
    ["1.5h", format],
    ["-1m", format],
    ["30M", format],
    [" 30m", format],
  ] as const)("%j is refused: %s", ([text, reason]) => {
    expect(() => parseDuration(text)).toThrow(`${JSON.stringify(text)}: ${reason}`);
    expect(problems(Duration, text)).toEqual([`: ${reason}`]);
  });

  test("the schema keeps the duration as written", () => {
    expect(Duration.parse("30m")).toBe("30m");
  });
});

describe("PolicyName", () => {
  test.for(["ops", "a", "dev-ops", "first.last", "x_1", "a".repeat(64)])("%j is a name", (name) => {
    expect(PolicyName.safeParse(name).success).toBe(true);
  });

  test.for(["", "Ops", "1ops", "-ops", "a b", "a".repeat(65), "ops!"])("%j is not", (name) => {
    expect(problems(PolicyName, name)).toEqual([
      ": a name is a lower-case letter, then letters, digits, _ . or - (at most 64)",
    ]);
  });
});

describe("AccessPolicy", () => {
  test.for([{ roles: ["dev", "ops"] }, { users: ["alice"] }, { roles: [], users: ["alice"] }])(
    "%j is a selector",
    (selector) => {
      expect(AccessPolicy.parse(selector)).toEqual(selector);
    },
  );

  test.for([
    [{}, ": names no role and no user"],
    [{ roles: [], users: [] }, ": names no role and no user"],
    [
      { roles: ["Ops"] },
      "roles.0: a name is a lower-case letter, then letters, digits, _ . or - (at most 64)",
    ],
    [{ groups: ["ops"] }, ': Unrecognized key: "groups"'],
  ] as const)("%j is refused: %s", ([selector, problem]) => {
    expect(problems(AccessPolicy, selector)).toContain(problem);
  });
});

describe("ApprovalPolicy", () => {
  test("an empty policy is one approval by someone else, no code, no escalation", () => {
    expect(ApprovalPolicy.parse({})).toEqual({
      required: 1,
      allowSelfApproval: false,
      confirmCode: false,
      autoApprove: false,
    });
  });

  test("a full policy round-trips through JSON as written", () => {
    const policy = ApprovalPolicy.parse({
      approvers: { roles: ["ops"], users: ["carol"] },
      required: 2,
      allowSelfApproval: false,
      expiresAfter: "30m",
      escalateAfter: "10m",
      escalateTo: { users: ["carol"] },
      confirmCode: true,
      autoApprove: false,
    });

    expect(ApprovalPolicy.parse(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
    expect(policy.expiresAfter).toBe("30m");
  });

  test("autoApprove alone is a policy", () => {
    expect(ApprovalPolicy.parse({ autoApprove: true })).toMatchObject({ autoApprove: true });
  });

  test.for([
    [{ required: 0 }, "required: required must be at least 1"],
    [{ required: 21 }, "required: required must be at most 20"],
    [{ required: 1.5 }, "required: required must be a whole number"],
    [{ expiresAfter: "31d" }, "expiresAfter: a duration is at most 30d"],
    [{ escalateAfter: "10m" }, "escalateTo: escalateAfter needs escalateTo: whom to escalate to"],
    [
      { escalateTo: { roles: ["admin"] } },
      "escalateAfter: escalateTo needs escalateAfter: when to escalate",
    ],
    [
      { escalateAfter: "30m", escalateTo: { roles: ["admin"] }, expiresAfter: "30m" },
      "escalateAfter: escalateAfter (30m) must be shorter than expiresAfter (30m)",
    ],
    [
      { escalateAfter: "1h", escalateTo: { roles: ["admin"] }, expiresAfter: "30m" },
      "escalateAfter: escalateAfter (1h) must be shorter than expiresAfter (30m)",
    ],
    [
      { autoApprove: true, confirmCode: true },
      "confirmCode: autoApprove leaves no approval to configure: drop confirmCode",
    ],
    [
      { autoApprove: true, required: 2 },
      "required: autoApprove leaves no approval to configure: drop required",
    ],
    [
      { autoApprove: true, approvers: { roles: ["ops"] } },
      "approvers: autoApprove leaves no approval to configure: drop approvers",
    ],
    [
      { autoApprove: true, escalateAfter: "10m", escalateTo: { roles: ["ops"] } },
      "escalateAfter: autoApprove leaves no approval to configure: drop escalateAfter",
    ],
    [
      { autoApprove: true, escalateAfter: "10m", escalateTo: { roles: ["ops"] } },
      "escalateTo: autoApprove leaves no approval to configure: drop escalateTo",
    ],
    [
      { autoApprove: true, allowSelfApproval: true },
      "allowSelfApproval: autoApprove leaves no approval to configure: drop allowSelfApproval",
    ],
    [
      { autoApprove: true, expiresAfter: "1h" },
      "expiresAfter: autoApprove leaves no approval to configure: drop expiresAfter",
    ],
    [{ approvers: {} }, "approvers: names no role and no user"],
    [{ confirm: true }, ': Unrecognized key: "confirm"'],
  ] as const)("%j is refused: %s", ([policy, problem]) => {
    expect(problems(ApprovalPolicy, policy)).toContain(problem);
  });

  test("escalating before expiry is fine", () => {
    const policy = { escalateAfter: "10m", escalateTo: { roles: ["admin"] }, expiresAfter: "30m" };

    expect(problems(ApprovalPolicy, policy)).toEqual([]);
  });
});
