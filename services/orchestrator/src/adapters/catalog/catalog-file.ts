import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError } from "@textops/runtime";
import { parseCatalog, type Catalog } from "../../domain/catalog/index.js";

/** The catalog as the orchestrator started with it. */
export interface LoadedCatalog {
  /** The file, as `JOBS_FILE` names it. */
  path: string;
  /** The first 12 hex digits of the SHA-256 of the file's content. */
  version: string;
  catalog: Catalog;
}

export const catalogVersion = (text: string) =>
  createHash("sha256").update(text).digest("hex").slice(0, 12);

export type CatalogLoad = ({ ok: true } & LoadedCatalog) | { ok: false; errors: string[] };

/** Reads and validates the catalog at `path` (relative to the working directory). */
export function readCatalogFile(path: string): CatalogLoad {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return {
      ok: false,
      errors: [`${path}: cannot read the job catalog: ${(error as Error).message}`],
    };
  }
  const parsed = parseCatalog(text, path);
  if (!parsed.ok) return parsed;
  return { ok: true, path, version: catalogVersion(text), catalog: parsed.catalog };
}

/** The catalog at `path`, or a ConfigError listing every problem in it, one a line. */
export function loadCatalog(path: string): LoadedCatalog {
  const loaded = readCatalogFile(path);
  if (!loaded.ok) {
    const count = loaded.errors.length;
    const lines = loaded.errors.map((error) => `\n  ${error}`).join("");
    throw new ConfigError(`invalid job catalog (JOBS_FILE), ${count} error(s):${lines}`);
  }
  const { path: file, version, catalog } = loaded;
  return { path: file, version, catalog };
}
