import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError, configLoader, variable, type Env } from "../env.js";
import { Directory } from "./directory.js";
import { parseUsersFile } from "./parse-users-file.js";

/** Where the directory is read from when `USERS_FILE` is unset; its absence means open mode. */
export const DEFAULT_USERS_FILE = "config/users.yaml";

/** The directory of people, relative to the working directory. Set, the file must be there. */
export const USERS_FILE_VARIABLE = variable("USERS_FILE", z.string().min(1).optional());

const loadUsersFileConfig = configLoader({ usersFile: USERS_FILE_VARIABLE });

/** Without a directory anyone may ask and approve, as before there was one. */
export type DirectoryLoad =
  | { mode: "open" }
  | { mode: "closed"; /** As `USERS_FILE` names it. */ path: string; directory: Directory };

/** What loadDirectory tells the log: which mode, from which file. */
export interface DirectoryLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * The directory of people `USERS_FILE` names (relative paths from `cwd`),
 * or open mode when it is unset and `config/users.yaml` is absent. A file
 * that cannot be read, or is not valid, throws a ConfigError listing every
 * problem, one a line.
 */
export function loadDirectory(env: Env, log?: DirectoryLog, cwd = process.cwd()): DirectoryLoad {
  const { usersFile } = loadUsersFileConfig(env);
  const path = usersFile ?? DEFAULT_USERS_FILE;
  const text = readUsersFile(resolve(cwd, path), path, usersFile !== undefined);
  if (text === undefined) {
    log?.warn(
      { usersFile: path },
      "no directory of people (USERS_FILE unset, config/users.yaml absent): anyone may ask for and approve any job",
    );
    return { mode: "open" };
  }
  const parsed = parseUsersFile(text, path);
  if (!parsed.ok) {
    const lines = parsed.errors.map((error) => `\n  ${error}`).join("");
    throw new ConfigError(
      `invalid directory of people (USERS_FILE), ${parsed.errors.length} error(s):${lines}`,
    );
  }
  const directory = Directory.fromFile(parsed.users);
  log?.info({ usersFile: path, people: directory.people().length }, "directory of people loaded");
  return { mode: "closed", path, directory };
}

/** The file's text; undefined when the default file is absent. */
function readUsersFile(file: string, path: string, named: boolean): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const absent = (error as NodeJS.ErrnoException).code === "ENOENT";
    if (absent && !named) return undefined;
    const which = named
      ? `USERS_FILE names ${JSON.stringify(path)}`
      : `${path} (the default of USERS_FILE) is there`;
    throw new ConfigError(
      `${which}, but the directory of people cannot be read: ${(error as Error).message}`,
    );
  }
}
