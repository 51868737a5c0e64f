import type { Channel } from "amqplib";
import { TOPOLOGY, type Topology } from "@textops/contracts";

/**
 * Declares every exchange, queue and binding of the topology. Idempotent, so
 * every service calls it on each (re)connect and none depends on another
 * having started first.
 */
export async function declareTopology(channel: Channel, topology: Topology = TOPOLOGY) {
  for (const exchange of topology.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, {
      durable: true,
      ...(exchange.alternateExchange ? { alternateExchange: exchange.alternateExchange } : {}),
    });
  }
  for (const queue of topology.queues) {
    await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments });
    for (const binding of queue.bindings) {
      await channel.bindQueue(queue.name, binding.exchange, binding.pattern, binding.arguments);
    }
  }
  for (const binding of topology.obsoleteBindings ?? []) {
    // Removing a binding that is not there is not an error.
    await channel.unbindQueue(binding.queue, binding.exchange, binding.pattern, binding.arguments);
  }
}
