import { describe, expect, test } from "vitest";
import { anApprovalPolicy } from "../../testing/policy-builders.js";
import { escalationDueAt, expiryOf } from "./expiry.js";

const T0 = Date.parse("2026-11-26T12:00:00.000Z");
const DAY_SECONDS = 24 * 60 * 60;

describe(expiryOf.name, () => {
  test.for([
    ["no policy: the default TTL", undefined, T0 + DAY_SECONDS * 1000],
    ["no expiresAfter: the default TTL", anApprovalPolicy(), T0 + DAY_SECONDS * 1000],
    ["expiresAfter 30m", anApprovalPolicy({ expiresAfter: "30m" }), T0 + 30 * 60 * 1000],
    [
      "expiresAfter 7d, beyond the default",
      anApprovalPolicy({ expiresAfter: "7d" }),
      T0 + 7 * DAY_SECONDS * 1000,
    ],
  ] as const)("%s", ([, approval, expected]) => {
    expect(expiryOf(approval, DAY_SECONDS, T0)).toBe(expected);
  });
});

describe(escalationDueAt.name, () => {
  test("escalateAfter after the run was asked for", () => {
    const approval = anApprovalPolicy({ escalateAfter: "10m", escalateTo: { roles: ["admin"] } });

    expect(escalationDueAt(approval, T0)).toBe(T0 + 10 * 60 * 1000);
  });

  test.for([
    ["no policy", undefined],
    ["no escalation", anApprovalPolicy({ expiresAfter: "30m" })],
  ] as const)("%s: never", ([, approval]) => {
    expect(escalationDueAt(approval, T0)).toBeNull();
  });
});
