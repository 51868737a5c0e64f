import { UsersFile } from "@textops/contracts";
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { describeIssues } from "./users-file-issues.js";

export type UsersFileParse = { ok: true; users: UsersFile } | { ok: false; errors: string[] };

/**
 * Reads a directory of people from YAML text (YAML 1.2 core schema: `yes`
 * and `no` stay strings). Every error names `file` and where in it: the
 * person and the field.
 */
export function parseUsersFile(text: string, file: string): UsersFileParse {
  const lines = new LineCounter();
  const document = parseDocument(text, { schema: "core", prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    return { ok: false, errors: document.errors.map((e) => `${file}: ${yamlError(e, lines)}`) };
  }
  const parsed = UsersFile.safeParse(document.toJS());
  if (!parsed.success) return { ok: false, errors: describeIssues(file, parsed.error.issues) };
  return { ok: true, users: parsed.data };
}

function yamlError(error: YAMLError, lines: LineCounter): string {
  const at = lines.linePos(error.pos[0]);
  return `line ${at.line}, column ${at.col}: not valid YAML: ${error.message.split("\n")[0]}`;
}
