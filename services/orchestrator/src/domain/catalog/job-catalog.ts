import type { JobDefinition } from "@textops/contracts";
import type { Catalog } from "./catalog-schema.js";

/** The catalog the orchestrator runs with: its jobs, in the file's order, and its version. */
export interface JobCatalog {
  /** A hash of the file's content: runs record it with their job's definition. */
  version: string;
  jobs: ReadonlyMap<string, JobDefinition>;
}

export function jobCatalog(version: string, catalog: Catalog): JobCatalog {
  return { version, jobs: new Map(Object.entries(catalog.jobs)) };
}

/** Every pool the catalog's jobs name, the default one included. */
export function poolsOf(catalog: JobCatalog): string[] {
  return [...new Set([...catalog.jobs.values()].map((job) => job.pool))];
}
