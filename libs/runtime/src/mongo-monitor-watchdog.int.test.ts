import { once } from "node:events";
import { describe, expect, test, vi } from "@textops/testing";
import {
  MongoClient,
  type Collection,
  type ServerDescriptionChangedEvent,
  type ServerHeartbeatStartedEvent,
} from "mongodb";
import { pingMongo } from "./mongo-connect.js";
import { watchMonitor } from "./mongo-monitor-watchdog.js";

/** What the driver emits when it has given up on a server (the parts the watchdog reads); with a stuck monitor nothing follows. */
function serverUnknown(client: MongoClient, address: string) {
  const event = { address, newDescription: { type: "Unknown" } };
  client.emit("serverDescriptionChanged", event as unknown as ServerDescriptionChangedEvent);
}

/** A client of the test's own (the watchdog closes and connects it), with a stored run. */
const watchedTest = test.extend<{ client: MongoClient; runs: Collection }>({
  client: async ({ mongo }, use) => {
    const client = await MongoClient.connect(mongo.url);
    try {
      await use(client);
    } finally {
      await client.close();
    }
  },
  runs: async ({ client, mongo }, use) => {
    const runs = client.db(mongo.dbName).collection("runs");
    await runs.insertOne({ runId: "K7Q2MX" });
    await use(runs);
  },
});

/** The client's Collection objects answer again once it is connected again. */
async function expectUsableAgain(runs: Collection) {
  await vi.waitFor(async () => expect(await runs.countDocuments({ runId: "K7Q2MX" })).toBe(1), {
    timeout: 15_000,
    interval: 100,
  });
}

describe(watchMonitor.name, () => {
  watchedTest(
    "a heartbeat that never ends gets the client connected again, its collections still usable",
    async ({ client, runs, log }) => {
      watchMonitor(client, log, { stuckAfterMs: 100, checkEveryMs: 20 });
      const closed = once(client, "topologyClosed");

      // What the driver emits when a heartbeat starts; this one never ends.
      const stuck: ServerHeartbeatStartedEvent = { connectionId: "127.0.0.1:1", awaited: false };
      client.emit("serverHeartbeatStarted", stuck);

      await closed;
      await expectUsableAgain(runs);
    },
  );

  watchedTest(
    "a server this client still thinks Unknown while a fresh connection gets answers gets the client connected again",
    async ({ client, runs, mongo, log }) => {
      let probes = 0;
      watchMonitor(client, log, {
        probe: () => {
          probes += 1;
          return pingMongo(mongo.url);
        },
        unknownForMs: 100,
        checkEveryMs: 20,
      });
      const closed = once(client, "topologyClosed");

      serverUnknown(client, "127.0.0.1:1");

      await closed;
      expect(probes).toBe(1);
      await expectUsableAgain(runs);
    },
  );

  watchedTest(
    "while fresh connections get no answer either, the client is left to the driver",
    async ({ client, runs, log }) => {
      let closedByWatchdog = false;
      client.on("topologyClosed", () => (closedByWatchdog = true));
      let probes = 0;
      const probed = new Promise<void>((resolve) => {
        watchMonitor(client, log, {
          probe: () => {
            probes += 1;
            if (probes === 3) resolve();
            return Promise.reject(new Error("connect ECONNREFUSED"));
          },
          unknownForMs: 20,
          checkEveryMs: 10,
        });
      });

      serverUnknown(client, "127.0.0.1:1");
      await probed;

      expect(closedByWatchdog).toBe(false);
      expect(await runs.countDocuments({ runId: "K7Q2MX" })).toBe(1);
    },
  );
});
