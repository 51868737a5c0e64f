import { QUEUES } from "@textops/contracts";
import { startConsumer, type AmqpConnectionManager, type Consumer } from "@textops/messaging";
import type { Logger } from "pino";
import type { ChannelSender } from "../../channels/channel-sender.js";
import { createDeliveryHandler, type DeliveryReports } from "../../delivery/deliver-outbound.js";
import type { DeliveryRecords } from "../../delivery/delivery-records.js";

export interface DeliveryRetry {
  maxAttempts: number;
  delayMs: (attempt: number) => number;
}

/** About 1 s, 2 s, 4 s … 32 s apart, less up to a quarter so retries spread out: 2 minutes in all. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = {
  maxAttempts: 8,
  delayMs: (attempt) =>
    Math.round(Math.min(32_000, 1000 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 4)),
};

export interface OutboundDeliveryOptions {
  connection: AmqpConnectionManager;
  sender: ChannelSender;
  records: DeliveryRecords;
  reports: DeliveryReports;
  log: Logger;
  prefetch?: number;
  clock?: () => number;
  /** How often and how far apart a delivery is tried before it is dead-lettered. */
  retry?: DeliveryRetry;
  staleClaimMs?: number;
}

/**
 * Consumes outbound.<channel> and delivers each message through the channel's
 * sender; acks once the delivery is recorded. A failed delivery is tried again
 * later through the delay queues, and dead-lettered to outbound.<channel>.dead
 * with its reason when refused or when its attempts are used up.
 */
export function startOutboundDelivery(options: OutboundDeliveryOptions): Promise<Consumer> {
  const { sender } = options;
  return startConsumer({
    connection: options.connection,
    queue: QUEUES.outbound(sender.channelId),
    prefetch: options.prefetch ?? 16,
    log: options.log.child({ channel: sender.channelId }),
    delayedRetry: options.retry ?? DEFAULT_DELIVERY_RETRY,
    handlers: {
      OutboundMessage: createDeliveryHandler({
        sender,
        records: options.records,
        reports: options.reports,
        clock: options.clock ?? Date.now,
        ...(options.staleClaimMs === undefined ? {} : { staleClaimMs: options.staleClaimMs }),
      }),
    },
  });
}
