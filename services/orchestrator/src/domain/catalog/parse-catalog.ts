import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { describeIssues } from "./catalog-issues.js";
import { Catalog } from "./catalog-schema.js";

export type CatalogParse = { ok: true; catalog: Catalog } | { ok: false; errors: string[] };

/**
 * Reads a catalog from YAML text (YAML 1.2 core schema: `yes` and `no` stay
 * strings). Every error names `file` and where in it: the job, the
 * parameter, the field.
 */
export function parseCatalog(text: string, file: string): CatalogParse {
  const lines = new LineCounter();
  const document = parseDocument(text, { schema: "core", prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    return { ok: false, errors: document.errors.map((e) => `${file}: ${yamlError(e, lines)}`) };
  }
  const parsed = Catalog.safeParse(document.toJS());
  if (!parsed.success) return { ok: false, errors: describeIssues(file, parsed.error.issues) };
  return { ok: true, catalog: parsed.data };
}

function yamlError(error: YAMLError, lines: LineCounter): string {
  const at = lines.linePos(error.pos[0]);
  return `line ${at.line}, column ${at.col}: not valid YAML: ${error.message.split("\n")[0]}`;
}
