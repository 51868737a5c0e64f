import { createPublisher } from "@textops/messaging";
import { runService } from "@textops/runtime";
import { createExecutionClaims } from "./adapters/mongo/execution-claims.js";
import { createRunOutputStore } from "./adapters/mongo/run-output.writer.js";
import { loadConfig } from "./config.js";
import { startWorker } from "./execution/worker.js";
import { builtInExecutors } from "./executors/registry.js";
import { selectExecutor } from "./executors/select-executor.js";

runService({
  name: "worker",
  loadConfig,
  logBindings: (config) => ({ workerId: config.workerId }),
  redact: ["url", "*.url"],
  connectionName: (config) => `worker ${config.workerId}`,
  async start({ config, db, connection, log, onClose }) {
    const publisher = createPublisher(connection, { name: "worker-publisher", log });
    onClose(() => publisher.close());
    const outputs = createRunOutputStore(db, { log });
    await outputs.ensureIndexes();
    const choose = {
      allowed: new Set(config.executorKinds),
      builtins: builtInExecutors({ demoDelayMs: config.demoDelayMs }),
      // Jobs name their own secrets (secretEnv), so they are looked up when one runs.
      env: process.env,
      killGraceMs: config.killGraceSeconds * 1000,
    };
    const worker = await startWorker({
      connection,
      publisher,
      claims: createExecutionClaims(db),
      executorFor: (job) => selectExecutor(job, choose),
      outputs,
      dispatchSecret: config.dispatchSecret,
      pools: config.pools,
      workerId: config.workerId,
      concurrency: config.concurrency,
      heartbeatSeconds: config.heartbeatSeconds,
      log,
    });
    const kinds = [...config.executorKinds].join(", ");
    log.info({ executors: kinds, pools: config.pools }, `running ${kinds} jobs`);
    return { stop: () => worker.stop(config.shutdownGraceSeconds) };
  },
});
