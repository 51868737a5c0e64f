import { once } from "node:events";
import { describe, expect, test, vi } from "@textops/testing";
import { MongoClient, type ServerHeartbeatStartedEvent } from "mongodb";
import { watchMonitor } from "./mongo-monitor-watchdog.js";

describe(watchMonitor.name, () => {
  test("a heartbeat that never ends gets the client connected again, its collections still usable", async ({
    mongo,
    log,
  }) => {
    const client = await MongoClient.connect(mongo.url);
    try {
      const runs = client.db(mongo.dbName).collection("runs");
      await runs.insertOne({ runId: "K7Q2MX" });
      watchMonitor(client, log, { stuckAfterMs: 100, checkEveryMs: 20 });
      const closed = once(client, "topologyClosed");

      // What the driver emits when a heartbeat starts; this one never ends.
      const stuck: ServerHeartbeatStartedEvent = { connectionId: "127.0.0.1:1", awaited: false };
      client.emit("serverHeartbeatStarted", stuck);

      await closed;
      await vi.waitFor(async () => expect(await runs.countDocuments({ runId: "K7Q2MX" })).toBe(1), {
        timeout: 15_000,
        interval: 100,
      });
    } finally {
      await client.close();
    }
  });
});
