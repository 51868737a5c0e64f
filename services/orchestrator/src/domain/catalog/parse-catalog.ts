import { parseYamlFile } from "@textops/runtime/yaml-file";
import { catalogWording } from "./catalog-issues.js";
import { Catalog } from "./catalog-schema.js";

export type CatalogParse = { ok: true; catalog: Catalog } | { ok: false; errors: string[] };

/**
 * Reads a catalog from YAML text (YAML 1.2 core schema: `yes` and `no` stay
 * strings). Every error names `file` and where in it: the job, the
 * parameter, the field.
 */
export function parseCatalog(text: string, file: string): CatalogParse {
  const parsed = parseYamlFile(Catalog, text, file, catalogWording);
  return parsed.ok ? { ok: true, catalog: parsed.value } : parsed;
}
