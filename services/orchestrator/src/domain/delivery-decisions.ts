import type { DeliveryReport, RunEvent } from "@textops/contracts";
import { ChangeBuilder, nothing, type Decision } from "./decision.js";
import type { Run } from "./stored-run.js";

const EVENT_OF = {
  delivered: "NoticeDelivered",
  edited: "NoticeEdited",
  "not-delivered": "NoticeNotDelivered",
} as const satisfies Record<DeliveryReport["outcome"], RunEvent["type"]>;

/**
 * What a channel reported of one notice about the run, noted on its
 * timeline: once per outcome and idempotency key, so a redelivered report
 * has no second effect. In any status, terminal ones included (a run's last
 * notice is delivered after it ended); it changes no status and sends nothing.
 */
export function noteDelivery(run: Run, report: DeliveryReport, at: string): Decision {
  const type = EVENT_OF[report.outcome];
  const noted = run.events.some(
    (e) => e.type === type && e.payload.idempotencyKey === report.idempotencyKey,
  );
  if (noted) return nothing();
  const change = new ChangeBuilder(run, at);
  const copy = {
    channelId: report.channelId,
    conversation: report.conversation,
    idempotencyKey: report.idempotencyKey,
  };
  switch (report.outcome) {
    case "delivered": {
      const ids = report.providerMessageIds;
      const payload = ids === undefined ? copy : { ...copy, providerMessageIds: ids };
      return change.event("NoticeDelivered", "system", payload).decide();
    }
    case "edited":
      return change.event("NoticeEdited", "system", copy).decide();
    case "not-delivered": {
      const reason = report.reason ?? "no reason given";
      return change.event("NoticeNotDelivered", "system", { ...copy, reason }).decide();
    }
  }
}
