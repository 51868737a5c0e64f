import { RunEvent, RunStatus, type DeliveryReport } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aRun, T0 } from "../testing/run-builder.js";
import { decide } from "./decide.js";
import { noteDelivery } from "./delivery-decisions.js";
import { texts } from "./notices.js";
import type { Run } from "./stored-run.js";

const at = (ms = 0) => new Date(T0 + ms).toISOString();

function aReport(fields: Partial<DeliveryReport> = {}): DeliveryReport {
  return {
    channelId: "telegram",
    conversation: "telegram:42",
    idempotencyKey: "completed:K7Q2MX:1",
    correlationId: "K7Q2MX",
    outcome: "delivered",
    at: at(5),
    ...fields,
  };
}

/** The run with the decision's change written, as the store would hold it. */
function applied(run: Run, report: DeliveryReport, ms = 0): Run {
  const change = noteDelivery(run, report, at(ms)).change;
  return change === null ? run : { ...run, ...change, events: [...run.events, ...change.events] };
}

describe(noteDelivery.name, () => {
  test.each(RunStatus.options)(
    "a run %s gets the event, keeps its status, and sends nothing",
    (status) => {
      const run = aRun({ status });

      const decision = decide(
        run,
        { kind: "delivery", report: aReport() },
        { now: T0, commandId: "d" },
      );

      expect(decision.change?.status).toBe(status);
      expect(decision.change?.events).toEqual([
        {
          runId: "K7Q2MX",
          seq: 2,
          type: "NoticeDelivered",
          at: at(),
          actor: "system",
          payload: {
            channelId: "telegram",
            conversation: "telegram:42",
            idempotencyKey: "completed:K7Q2MX:1",
          },
        },
      ]);
      for (const event of decision.change?.events ?? [])
        expect(RunEvent.parse(event)).toEqual(event);
      expect(decision).toMatchObject({ outbound: [], dispatch: null, cancel: null });
    },
  );

  test.each([
    [
      aReport({ providerMessageIds: ["m1", "m2"] }),
      "NoticeDelivered",
      { providerMessageIds: ["m1", "m2"] },
    ],
    [aReport({ outcome: "edited" }), "NoticeEdited", {}],
    [
      aReport({ outcome: "not-delivered", reason: "opted out" }),
      "NoticeNotDelivered",
      { reason: "opted out" },
    ],
    [aReport({ outcome: "not-delivered" }), "NoticeNotDelivered", { reason: "no reason given" }],
  ] as const)("a report %j is noted as %s", (report, type, extra) => {
    const event = noteDelivery(aRun(), report, at()).change?.events[0];

    expect(event?.type).toBe(type);
    expect(event?.payload).toEqual({
      channelId: "telegram",
      conversation: "telegram:42",
      idempotencyKey: "completed:K7Q2MX:1",
      ...extra,
    });
  });

  test("a redelivered report has no second effect, whenever it comes", () => {
    const once = applied(aRun({ status: "Succeeded" }), aReport());

    expect(noteDelivery(once, aReport(), at(1)).change).toBeNull();
    expect(noteDelivery(once, aReport({ at: at(9) }), at(60_000)).change).toBeNull();
  });

  test("another key, or another outcome of the same key, is noted as well", () => {
    const once = applied(aRun(), aReport());

    const other = noteDelivery(once, aReport({ idempotencyKey: "status:K7Q2MX:c1" }), at(1));
    const refused = noteDelivery(
      once,
      aReport({ outcome: "not-delivered", reason: "HTTP 400" }),
      at(1),
    );

    expect(other.change?.events.map((e) => [e.type, e.seq])).toEqual([["NoticeDelivered", 3]]);
    expect(refused.change?.events.map((e) => [e.type, e.seq])).toEqual([["NoticeNotDelivered", 3]]);
  });

  test("status shows the run's last state events, not what became of its notices", () => {
    const run = applied(
      applied(aRun({ status: "Succeeded" }), aReport(), 60_000),
      aReport({ outcome: "edited", idempotencyKey: "approval-request:K7Q2MX:approved" }),
      120_000,
    );

    expect(texts.status(run)).toBe(
      'Run K7Q2MX (job "demo") is Succeeded. Latest: 12:00:00 RunCreated.',
    );
  });
});
