import { test as base } from "@textops/testing";
import { connectChannelClient, type ChannelClient } from "./channel-client.js";
import { startOrchestrator, type HarnessOptions } from "./orchestrator-harness.js";

type Started = Awaited<ReturnType<typeof startOrchestrator>>;
type StartOptions = Omit<HarnessOptions, "rabbit" | "mongo" | "log">;

/**
 * The shared fixtures plus an orchestrator starter and a channel client, both
 * stopped before the test's vhost and database are removed.
 */
export const test = base.extend<{
  startOrchestrator: (options?: StartOptions) => Promise<Started>;
  client: ChannelClient;
}>({
  startOrchestrator: async ({ rabbit, mongo, log }, use) => {
    const started: Started[] = [];
    await use(async (options = {}) => {
      const orchestrator = await startOrchestrator({ rabbit, mongo, log, ...options });
      started.push(orchestrator);
      return orchestrator;
    });
    for (const orchestrator of started) await orchestrator.stop();
  },
  client: async ({ rabbit }, use) => {
    const client = await connectChannelClient(rabbit.url);
    await use(client);
    await client.close();
  },
});
