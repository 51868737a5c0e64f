import { fileURLToPath } from "node:url";
import { readCatalogFile } from "../adapters/catalog/catalog-file.js";
import { jobCatalog, parseCatalog, type JobCatalog } from "../domain/catalog/index.js";

/** The catalog the repository ships (config/jobs.yaml): what tests of runs ask for. */
export const SHIPPED_CATALOG_FILE = fileURLToPath(
  new URL("../../../../config/jobs.yaml", import.meta.url),
);

export function shippedCatalog(): JobCatalog {
  const loaded = readCatalogFile(SHIPPED_CATALOG_FILE);
  if (!loaded.ok) throw new Error(`the shipped catalog is broken:\n${loaded.errors.join("\n")}`);
  return jobCatalog(loaded.version, loaded.catalog);
}

/** Signs the dispatches of tests; workers in tests verify with it. */
export const TEST_DISPATCH_SECRET = "test-dispatch-secret-0123456789";

/** A catalog of the jobs in `yaml` (the catalog file's format), for jobs the shipped one lacks. */
export function catalogFrom(yaml: string, version = "feedfacecafe"): JobCatalog {
  const parsed = parseCatalog(yaml, "jobs.yaml");
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return jobCatalog(version, parsed.catalog);
}

/**
 * Jobs with a concurrency limit: `deploy`, one at a time on the workers of
 * pool "deployers", failed when its worker is lost; `migrate`, one at a time
 * on the default pool, run again when its worker is lost; `build`, two at a time.
 */
export function limitedCatalog(): JobCatalog {
  return catalogFrom(`
jobs:
  deploy:
    description: Deploy the service
    executor: { kind: builtin, name: demo }
    timeoutSeconds: 60
    retry: { maxAttempts: 2, onWorkerLoss: false }
    concurrency: 1
    pool: deployers
  migrate:
    description: Migrate the database
    executor: { kind: builtin, name: demo }
    timeoutSeconds: 60
    retry: { maxAttempts: 3, onWorkerLoss: true }
    concurrency: 1
  build:
    description: Build the service
    executor: { kind: builtin, name: demo }
    concurrency: 2
`);
}
