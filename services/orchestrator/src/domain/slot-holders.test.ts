import { describe, expect, test } from "vitest";
import { claimSlot, releaseSlot, type SlotHolder } from "./slot-holders.js";

const holder = (runId: string, forVersion = 3): SlotHolder => ({
  runId,
  askedAt: "2026-11-26T12:00:00.000Z",
  forVersion,
});
const claim = (runId: string, forVersion = 3) => ({
  runId,
  forVersion,
  at: "2026-11-26T12:01:00.000Z",
});

describe(claimSlot.name, () => {
  test("a free slot is taken by a new run; with none free, the job is full and nothing is written", () => {
    expect(claimSlot([holder("A")], claim("B"), 2)).toEqual({
      outcome: "held",
      holders: [holder("A"), { runId: "B", askedAt: "2026-11-26T12:01:00.000Z", forVersion: 3 }],
    });
    expect(claimSlot([holder("A"), holder("B")], claim("C"), 2)).toEqual({
      outcome: "full",
      holders: null,
    });
  });

  test("a holder asking again holds without a write, or with its newer version recorded", () => {
    expect(claimSlot([holder("A", 3)], claim("A", 3), 1)).toEqual({
      outcome: "held",
      holders: null,
    });
    expect(claimSlot([holder("A", 3), holder("B")], claim("A", 4), 1)).toEqual({
      outcome: "held",
      holders: [{ runId: "A", askedAt: "2026-11-26T12:01:00.000Z", forVersion: 4 }, holder("B")],
    });
  });
});

describe(releaseSlot.name, () => {
  test("the run's slot goes; a run holding none changes nothing", () => {
    expect(releaseSlot([holder("A"), holder("B")], "A")).toEqual([holder("B")]);
    expect(releaseSlot([holder("B")], "A")).toBeNull();
  });

  test("after a fence, only a slot asked for at the fenced version or before", () => {
    expect(releaseSlot([holder("A", 3)], "A", 3)).toEqual([]);
    expect(releaseSlot([holder("A", 3)], "A", 4)).toEqual([]);
    expect(releaseSlot([holder("A", 5)], "A", 4)).toBeNull();
  });
});
