import { describe, expect, test } from "vitest";
import { linkCodeState, type LinkCodeFacts, type LinkCodeState } from "./link-code.js";

const NOW = Date.parse("2026-11-26T12:00:00.000Z");
const code = (fields: Partial<LinkCodeFacts> = {}): LinkCodeFacts => ({
  expiresAt: "2026-11-26T12:05:00.000Z",
  wrongTries: [],
  usedBy: null,
  ...fields,
});
const tries = (n: number) => Array.from({ length: n }, (_, i) => `dev:t${i}`);

describe(linkCodeState.name, () => {
  test.for<[string, LinkCodeFacts, LinkCodeState]>([
    ["fresh", code(), "live"],
    ["four wrong tries", code({ wrongTries: tries(4) }), "live"],
    ["five wrong tries", code({ wrongTries: tries(5) }), "void"],
    ["its last millisecond gone", code({ expiresAt: "2026-11-26T12:00:00.000Z" }), "expired"],
    ["one millisecond left", code({ expiresAt: "2026-11-26T12:00:00.001Z" }), "live"],
    ["used by another message", code({ usedBy: "dev:other" }), "used"],
    ["used by this message (a redelivery)", code({ usedBy: "dev:m1" }), "live"],
    [
      "used by this message, since expired",
      code({ usedBy: "dev:m1", expiresAt: "2026-11-26T11:00:00.000Z" }),
      "live",
    ],
  ])("%s: %j → %s", ([, facts, state]) => {
    expect(linkCodeState(facts, NOW, "dev:m1")).toBe(state);
  });
});
