import { EXCHANGES } from "@textops/contracts";
import type { ConsumerOptions } from "@textops/messaging";

/** The worker's own queue on the control fanout exchange. */
export function controlQueueName(workerId: string): string {
  return `worker.control.${workerId}`;
}

type ChannelSetup = NonNullable<ConsumerOptions<"ExecutionCancelRequested">["setup"]>;

/**
 * Declares the worker's control queue: exclusive and auto-deleted, so it lives
 * exactly as long as the worker's connection, and bound to every cancel.
 */
export function declareControlQueue(workerId: string): ChannelSetup {
  const queue = controlQueueName(workerId);
  return async (channel) => {
    await channel.assertQueue(queue, {
      exclusive: true,
      autoDelete: true,
      durable: false,
      arguments: { "x-queue-type": "classic" },
    });
    await channel.bindQueue(queue, EXCHANGES.control, "");
  };
}
