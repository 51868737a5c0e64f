import { UsersFile } from "@textops/contracts";
import { parseYamlFile } from "../yaml-file/index.js";
import { usersFileWording } from "./users-file-issues.js";

export type UsersFileParse = { ok: true; users: UsersFile } | { ok: false; errors: string[] };

/**
 * Reads a directory of people from YAML text (YAML 1.2 core schema: `yes`
 * and `no` stay strings). Every error names `file` and where in it: the
 * person and the field.
 */
export function parseUsersFile(text: string, file: string): UsersFileParse {
  const parsed = parseYamlFile(UsersFile, text, file, usersFileWording);
  return parsed.ok ? { ok: true, users: parsed.value } : parsed;
}
