import { dispatchRoutingKey, EXCHANGES, poolTopology, QUEUES, TOPOLOGY } from "@textops/contracts";
import { describe, expect, queueDepth, test } from "@textops/testing";
import amqplib from "amqplib";
import { declareTopology } from "./topology.js";

describe(declareTopology.name, () => {
  test("over a broker set up before pools, worker.dispatch stops taking other pools' dispatches", async ({
    rabbit,
  }) => {
    const connection = await amqplib.connect(rabbit.url);
    try {
      const channel = await connection.createConfirmChannel();
      await declareTopology(channel);
      // What an earlier version left: the default queue bound to every dispatch.
      await channel.bindQueue(QUEUES.workerDispatch, EXCHANGES.dispatch, "#");

      await declareTopology(channel);
      await declareTopology(channel, poolTopology(["deployers"]));
      await declareTopology(channel); // again: removing what is gone is no error
      channel.publish(EXCHANGES.dispatch, dispatchRoutingKey("deployers"), Buffer.from("{}"));
      channel.publish(EXCHANGES.dispatch, dispatchRoutingKey("default"), Buffer.from("{}"));
      await channel.waitForConfirms();

      expect(await queueDepth(rabbit.url, QUEUES.dispatch("deployers"))).toBe(1);
      expect(await queueDepth(rabbit.url, QUEUES.workerDispatch)).toBe(1);
      expect(TOPOLOGY.obsoleteBindings).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });
});
