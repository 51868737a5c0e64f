import { loadDirectory, runService } from "@textops/runtime";
import { createOrchestrator } from "./orchestrator.js";
import { loadConfig } from "./config.js";
import { loadCatalog } from "./adapters/catalog/catalog-file.js";
import { jobCatalog } from "./domain/catalog/index.js";

runService({
  name: "orchestrator",
  // A bad catalog stops the service like a bad variable: every error on standard error, exit 1.
  loadConfig: (env) => {
    const config = loadConfig(env);
    return { ...config, catalog: loadCatalog(config.jobsFile), people: loadDirectory(env) };
  },
  logBindings: (config) => ({ id: config.orchestratorId }),
  connectionName: (config) => `orchestrator ${config.orchestratorId}`,
  async start({ config, db, connection, log }) {
    const { path, version, catalog } = config.catalog;
    const jobs = Object.keys(catalog.jobs).length;
    log.info({ catalogVersion: version }, `catalog ${path} version ${version}: ${jobs} jobs`);
    const { people } = config;
    if (people.mode === "open") {
      log.warn(
        "open mode: no directory of people (USERS_FILE unset, config/users.yaml absent); anyone may ask for and approve any job",
      );
    } else {
      log.info(
        `closed mode: directory of people ${people.path}, ${people.directory.people().length} people`,
      );
    }
    const orchestrator = await createOrchestrator({
      db,
      connection,
      log,
      catalog: jobCatalog(version, catalog),
      dispatchSecret: config.dispatchSecret,
      ...(people.mode === "closed" ? { directory: people.directory } : {}),
      prefetch: config.prefetch,
      approvalTtlSeconds: config.approvalTtlSeconds,
      sweepIntervalMs: config.sweepIntervalSeconds * 1000,
      outboxAgeMs: config.outboxRepublishAgeSeconds * 1000,
      dispatchWaitMs: config.dispatchWaitNoticeSeconds * 1000,
    });
    await orchestrator.start();
    log.info("orchestrator started; consuming orchestrator.input (active or standby)");
    return orchestrator;
  },
});
