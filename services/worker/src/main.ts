import { createPublisher } from "@textops/messaging";
import { runService } from "@textops/runtime";
import { createExecutionClaims } from "./adapters/mongo/execution-claims.js";
import { loadConfig } from "./config.js";
import { startWorker } from "./execution/worker.js";
import { builtInExecutors } from "./executors/registry.js";

runService({
  name: "worker",
  loadConfig,
  logBindings: (config) => ({ workerId: config.workerId }),
  redact: ["url", "*.url"],
  connectionName: (config) => `worker ${config.workerId}`,
  async start({ config, db, connection, log, onClose }) {
    const publisher = createPublisher(connection, { name: "worker-publisher", log });
    onClose(() => publisher.close());
    const worker = await startWorker({
      connection,
      publisher,
      claims: createExecutionClaims(db),
      executors: builtInExecutors({ demoDelayMs: config.demoDelayMs }),
      workerId: config.workerId,
      concurrency: config.concurrency,
      heartbeatSeconds: config.heartbeatSeconds,
      log,
    });
    return { stop: () => worker.stop(config.shutdownGraceSeconds) };
  },
});
