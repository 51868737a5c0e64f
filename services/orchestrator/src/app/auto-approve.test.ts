import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { catalogFrom } from "../testing/test-catalog.js";
import { aTeam } from "../testing/test-directory.js";

const catalog = () =>
  catalogFrom(`
jobs:
  ping:
    description: Harmless
    executor: { kind: builtin, name: demo }
    approval: { autoApprove: true }
`);

const dispatchesOf = (h: ReturnType<typeof anApp>) =>
  h.publisher.published.filter((p) => p.type === "ExecutionDispatch");

describe("jobs whose policy approves by itself (autoApprove)", () => {
  test.each([
    ["open mode", undefined],
    ["closed mode", aTeam()],
  ])(
    "%s: the run is dispatched at once, approved by policy on its timeline",
    async (_, directory) => {
      const h = anApp({
        runIds: ["PNG234"],
        catalog: catalog(),
        ...(directory ? { directory } : {}),
      });

      await h.text("run ping", { from: "alice" });

      const run = h.runs.stored.get("PNG234");
      expect(run?.status).toBe("Dispatching");
      expect(run?.events.map((e) => `${e.type} ${e.actor}`).slice(2)).toEqual([
        "RunApproved policy",
        "ExecutionDispatched system",
      ]);
      expect(h.bodies()).toEqual(['Approved. Starting run PNG234 for job "ping"…']);
      expect(dispatchesOf(h)[0]?.payload).toMatchObject({ approvedBy: ["policy"] });
    },
  );

  test("a run whose approval was cut short by a crash is approved by the sweep once it is outboxAgeMs old", async () => {
    let crashes = 1;
    const h = anApp({
      runIds: ["PNG234"],
      catalog: catalog(),
      outboxAgeMs: 5_000,
      runs: (store) => ({
        ...store,
        apply: (...args) => {
          if (crashes-- > 0) throw new Error("orchestrator died before the approval was written");
          return store.apply(...args);
        },
      }),
    });
    await expect(h.text("run ping", { from: "alice" })).rejects.toThrow(/died/);
    expect(h.runs.stored.get("PNG234")?.status).toBe("AwaitingApproval");

    h.clock.now += 4_000;
    expect((await h.app.sweep()).autoApproved).toBe(0);
    h.clock.now += 1_000;
    expect((await h.app.sweep()).autoApproved).toBe(1);
    expect((await h.app.sweep()).autoApproved).toBe(0);

    expect(h.runs.stored.get("PNG234")?.status).toBe("Dispatching");
    expect(dispatchesOf(h)).toHaveLength(1);
  });
});
