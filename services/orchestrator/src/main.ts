import { runService } from "@textops/runtime";
import { createOrchestrator } from "./orchestrator.js";
import { loadConfig } from "./config.js";

runService({
  name: "orchestrator",
  loadConfig,
  logBindings: (config) => ({ id: config.orchestratorId }),
  connectionName: (config) => `orchestrator ${config.orchestratorId}`,
  async start({ config, db, connection, log }) {
    const orchestrator = await createOrchestrator({
      db,
      connection,
      log,
      prefetch: config.prefetch,
      approvalTtlSeconds: config.approvalTtlSeconds,
      sweepIntervalMs: config.sweepIntervalSeconds * 1000,
      outboxAgeMs: config.outboxRepublishAgeSeconds * 1000,
    });
    await orchestrator.start();
    log.info("orchestrator started; consuming orchestrator.input (active or standby)");
    return orchestrator;
  },
});
