import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { z } from "zod";
import { describeIssues, type IssueWording } from "./describe-issues.js";

export type YamlFileParse<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Reads a configuration file's YAML text (YAML 1.2 core schema: `yes` and
 * `no` stay strings) and checks it against `schema`. Every error is a line
 * naming `file` and where in it: a line and column for bad YAML, the place
 * `wording` gives for a schema issue.
 */
export function parseYamlFile<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  wording: IssueWording,
): YamlFileParse<z.infer<S>> {
  const lines = new LineCounter();
  const document = parseDocument(text, { schema: "core", prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    return { ok: false, errors: document.errors.map((e) => `${file}: ${yamlError(e, lines)}`) };
  }
  const parsed = schema.safeParse(document.toJS());
  if (!parsed.success) {
    return { ok: false, errors: describeIssues(file, parsed.error.issues, wording) };
  }
  return { ok: true, value: parsed.data };
}

function yamlError(error: YAMLError, lines: LineCounter): string {
  const at = lines.linePos(error.pos[0]);
  return `line ${at.line}, column ${at.col}: not valid YAML: ${error.message.split("\n")[0]}`;
}
