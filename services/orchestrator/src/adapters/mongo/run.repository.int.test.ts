import type { RunEvent } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import { MongoClient } from "mongodb";
import { aRun, T0 } from "../../domain/run-builder.js";
import { createRunRepository, type RunWrite } from "./run.repository.js";

const at = new Date(T0).toISOString();

/** A write that appends one event, telling the writers apart by its reason. */
function aWrite(seq: number, writer: string): RunWrite {
  const event: RunEvent = {
    runId: "K7Q2MX",
    seq,
    type: "CallbackIgnored",
    at,
    actor: "worker:w1",
    payload: { kind: "started", attempt: 1, reason: writer },
  };
  return {
    status: "AwaitingApproval",
    attempt: 1,
    lastHeartbeatAt: null,
    updatedAt: at,
    events: [event],
    outbox: [],
    processed: [],
  };
}

describe(createRunRepository.name, () => {
  test("of writers racing from one version, exactly one wins and its write is the one stored", async ({
    mongo,
  }) => {
    // One client per writer, as with two orchestrators.
    const clients = await Promise.all([1, 2, 3, 4].map(() => MongoClient.connect(mongo.url)));
    try {
      const repositories = await Promise.all(
        clients.map((c) => createRunRepository(c.db(mongo.dbName))),
      );
      const [first] = repositories;
      await first?.insert(aRun({ version: 1 }));

      const winners: string[] = [];
      for (let round = 1; round <= 10; round += 1) {
        const results = await Promise.all(
          repositories.map((runs, i) =>
            runs.apply("K7Q2MX", round, aWrite(round + 1, `round ${round} writer ${i}`)),
          ),
        );
        expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
        winners.push(`round ${round} writer ${results.indexOf(true)}`);
      }

      const stored = await first?.find("K7Q2MX");
      expect(stored?.version).toBe(11);
      expect(
        stored?.events.slice(1).map((e) => e.type === "CallbackIgnored" && e.payload.reason),
      ).toEqual(winners);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
