import type { DeliveryReport } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { anApp } from "../testing/app-harness.js";
import { T0 } from "../testing/run-builder.js";
import { createDeliveryReportHandler } from "./delivery-report.handler.js";

const at = (ms = 0) => new Date(T0 + ms).toISOString();

function aReport(fields: Partial<DeliveryReport> = {}): DeliveryReport {
  return {
    channelId: "dev",
    conversation: "dev:user1",
    idempotencyKey: "approval-request:DLV234",
    correlationId: "DLV234",
    outcome: "delivered",
    providerMessageIds: ["dev-1"],
    at: at(1),
    ...fields,
  };
}

describe(createDeliveryReportHandler.name, () => {
  test("a report delivered twice is on the run's timeline once, and sends nothing", async () => {
    const h = anApp({ runIds: ["DLV234"] });
    await h.text("run demo");
    const sent = h.publisher.published.length;
    const version = h.runs.stored.get("DLV234")?.version ?? 0;
    const looks = h.runs.watched();

    await h.deliver("DeliveryReport", aReport(), { messageId: "r1" });
    await h.deliver("DeliveryReport", aReport(), { messageId: "r1" });
    await h.deliver("DeliveryReport", aReport({ at: at(2) }), { messageId: "r2" });

    const run = h.runs.stored.get("DLV234");
    expect(run?.events.slice(2)).toEqual([
      {
        runId: "DLV234",
        seq: 3,
        type: "NoticeDelivered",
        at: at(),
        actor: "system",
        payload: {
          channelId: "dev",
          conversation: "dev:user1",
          idempotencyKey: "approval-request:DLV234",
          providerMessageIds: ["dev-1"],
        },
      },
    ]);
    expect(run?.status).toBe("AwaitingApproval");
    expect(run?.version).toBe(version + 1);
    expect(h.publisher.published).toHaveLength(sent);
    // The sweeper's plan for the run (its expiry) is as it was: the write announced nothing.
    expect(h.runs.watched()).toEqual(looks);
  });

  test("a notice not delivered is noted once on a run that has ended", async () => {
    const h = anApp({ runIds: ["DLV234"] });
    await h.text("run demo");
    await h.text("no DLV234");
    const refused = aReport({
      outcome: "not-delivered",
      idempotencyKey: "denied:DLV234",
      reason: "gave up after 8 attempts: HTTP 503",
    });

    await h.deliver("DeliveryReport", refused);
    await h.deliver("DeliveryReport", refused);

    const run = h.runs.stored.get("DLV234");
    expect(run?.status).toBe("Denied");
    expect(run?.events.slice(3).map((e) => [e.type, e.payload])).toEqual([
      [
        "NoticeNotDelivered",
        {
          channelId: "dev",
          conversation: "dev:user1",
          idempotencyKey: "denied:DLV234",
          reason: "gave up after 8 attempts: HTTP 503",
        },
      ],
    ]);
    await h.text("status DLV234");
    expect(h.bodies().at(-1)).toMatch(/is Denied\. Latest: .*RunDenied\.$/);
  });

  test("a report about no run, or about a run not stored, is taken and changes nothing", async () => {
    const h = anApp();

    await h.deliver("DeliveryReport", aReport({ correlationId: "" }));
    await h.deliver("DeliveryReport", aReport({ correlationId: "NXPE23" }));

    expect(h.runs.stored.size).toBe(0);
    expect(h.publisher.published).toEqual([]);
  });
});
