import type { DeliveryReport, OutboundMessage } from "@textops/contracts";
import { QUEUES } from "@textops/contracts";
import { connectBroker, createPublisher, declareTopology } from "@textops/messaging";
import { vi } from "@textops/testing";
import type { ConfirmChannel } from "amqplib";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { createDeliveryReportPublisher } from "../adapters/amqp/delivery-reports.publisher.js";
import {
  startOutboundDelivery,
  type DeliveryRetry,
} from "../adapters/amqp/outbound-delivery.consumer.js";
import { createDeliveryRecordStore } from "../adapters/mongo/delivery-records.store.js";
import type { ChannelSender } from "../channels/channel-sender.js";
import type { Cleanup } from "./ingress-harness.js";

/** What the orchestrator does with its outbox: publishes OutboundMessages, maybe more than once. */
export function outbox(url: string, log: Logger, cleanup: Cleanup) {
  const connection = connectBroker({ url, name: "test outbox", log });
  const publisher = createPublisher(connection);
  cleanup(async () => {
    await publisher.close();
    await connection.close();
  });
  return (message: OutboundMessage, messageId: string) =>
    publisher.publish("OutboundMessage", message, {
      messageId,
      correlationId: message.correlationId || "none",
    });
}

export interface DeliveryUnderTest {
  url: string;
  db: Db;
  log: Logger;
  cleanup: Cleanup;
  sender: ChannelSender;
  retry?: DeliveryRetry;
  staleClaimMs?: number;
}

/** A channel's delivery consumer on the real broker and database, its reports going to orchestrator.input. */
export async function startDelivery(options: DeliveryUnderTest): Promise<void> {
  const connection = connectBroker({
    url: options.url,
    name: "ingress under test",
    log: options.log,
  });
  const reports = createDeliveryReportPublisher(connection, 2000);
  const consumer = await startOutboundDelivery({
    connection,
    sender: options.sender,
    records: createDeliveryRecordStore(options.db),
    reports,
    log: options.log,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.staleClaimMs === undefined ? {} : { staleClaimMs: options.staleClaimMs }),
  });
  options.cleanup(async () => {
    await consumer.stop();
    await reports.close();
    await connection.close();
  });
}

/**
 * The DeliveryReports that reach orchestrator.input, as the orchestrator
 * would take them (a consumer: its queue has a single active consumer, so
 * it cannot be read with basic.get).
 */
export async function collectReports(url: string, log: Logger, cleanup: Cleanup) {
  const connection = connectBroker({ url, name: "test orchestrator", log });
  const reports: DeliveryReport[] = [];
  const channel = connection.createChannel({
    setup: async (ch: ConfirmChannel) => {
      await declareTopology(ch);
      await ch.consume(
        QUEUES.orchestratorInput,
        (message) => {
          if (message?.properties.type === "DeliveryReport") {
            reports.push(JSON.parse(message.content.toString()) as DeliveryReport);
          }
        },
        { noAck: true },
      );
    },
  });
  await channel.waitForConnect();
  cleanup(async () => {
    await channel.close();
    await connection.close();
  });
  return {
    all: () => [...reports],
    /** Waits for the n-th report (1-based) and returns it. */
    nth: (n: number) =>
      vi.waitFor(
        () => {
          const report = reports[n - 1];
          if (!report) throw new Error(`${reports.length} reports so far, waiting for ${n}`);
          return report;
        },
        { timeout: 15_000, interval: 20 },
      ),
  };
}
