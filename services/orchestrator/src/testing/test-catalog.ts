import { fileURLToPath } from "node:url";
import { readCatalogFile } from "../adapters/catalog/catalog-file.js";
import { jobCatalog, type JobCatalog } from "../domain/catalog/index.js";

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
