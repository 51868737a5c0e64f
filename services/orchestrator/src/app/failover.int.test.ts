import { QUEUES } from "@textops/contracts";
import { describe, expect, vi } from "@textops/testing";
import { test } from "../testing/fixtures.js";
import type { Decorators } from "../orchestrator.js";

/** Counts the inbound messages an orchestrator instance took in. */
function counting() {
  const seen: string[] = [];
  const decorate: Decorators = {
    inbox: (real) => ({
      ...real,
      record: (entry) => {
        seen.push(entry.providerMessageId);
        return real.record(entry);
      },
    }),
  };
  return { seen, decorate };
}

describe("failover", () => {
  test("of two orchestrators only one consumes; the other takes over when it stops", async ({
    rabbit,
    mongo,
    startOrchestrator,
    client,
  }) => {
    const first = counting();
    const second = counting();
    const active = await startOrchestrator({ decorate: first.decorate });
    await startOrchestrator({ decorate: second.decorate });

    for (let i = 0; i < 5; i += 1) await client.send(`run demo`, { providerMessageId: `a${i}` });
    expect(first.seen).toEqual(["a0", "a1", "a2", "a3", "a4"]);
    expect(second.seen).toEqual([]);
    const queue = await vi.waitFor(
      async () => {
        const info = await rabbit.admin.queue(rabbit.vhost, QUEUES.orchestratorInput);
        if (info.consumers !== 2) throw new Error(`${info.consumers} consumers listed`);
        return info;
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(queue.consumers).toBe(2);

    await active.stop();
    for (let i = 0; i < 5; i += 1) await client.send(`run demo`, { providerMessageId: `b${i}` });

    expect(second.seen).toEqual(["b0", "b1", "b2", "b3", "b4"]);
    expect(await mongo.db.collection("runs").countDocuments()).toBe(10);
  });
});
