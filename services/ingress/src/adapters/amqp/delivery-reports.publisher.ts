import { createPublisher, type AmqpConnectionManager } from "@textops/messaging";
import type { DeliveryReports } from "../../delivery/deliver-outbound.js";

export interface DeliveryReportPublisher extends DeliveryReports {
  close(): Promise<void>;
}

/** Publishes DeliveryReports to the orchestrator, with confirms; one report per key and outcome. */
export function createDeliveryReportPublisher(
  connection: AmqpConnectionManager,
  publishTimeoutMs: number,
): DeliveryReportPublisher {
  const publisher = createPublisher(connection, { name: "ingress-delivery-reports" });
  return {
    async report(report, causationId) {
      await publisher.publish("DeliveryReport", report, {
        messageId: `delivery:${report.outcome}:${report.idempotencyKey}`,
        correlationId: report.correlationId === "" ? "none" : report.correlationId,
        causationId,
        timeoutMs: publishTimeoutMs,
      });
    },
    close: () => publisher.close(),
  };
}
