import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../env.js";
import { loadDirectory, type DirectoryLog } from "./load-directory.js";

const EXAMPLE = new URL("../../../../config/users.example.yaml", import.meta.url).pathname;

const aDir = () => mkdtempSync(join(tmpdir(), "directory-"));

/** A working directory holding `config/users.yaml` with `text`. */
function aCwdWithUsersFile(text: string): string {
  const cwd = aDir();
  mkdirSync(join(cwd, "config"));
  writeFileSync(join(cwd, "config/users.yaml"), text);
  return cwd;
}

/** A log that keeps what it is told. */
function aLog(): DirectoryLog & { lines: string[] } {
  const lines: string[] = [];
  const keep = (fields: object, message: string) =>
    lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, info: keep, warn: keep };
}

/** The message of the ConfigError `load` throws. */
function configError(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("no ConfigError");
}

describe(loadDirectory.name, () => {
  test("open, and says so, when USERS_FILE is unset and config/users.yaml is absent", () => {
    const log = aLog();

    expect(loadDirectory({}, log, aDir())).toEqual({ mode: "open" });
    expect(loadDirectory({ USERS_FILE: "" }, undefined, aDir())).toEqual({ mode: "open" });
    expect(log.lines).toEqual([
      expect.stringMatching(/^no directory of people .*anyone may ask for and approve any job/),
    ]);
  });

  test("the shipped example: closed, with alice, bob and carol", () => {
    const log = aLog();

    const loaded = loadDirectory({ USERS_FILE: EXAMPLE }, log);

    expect(loaded).toMatchObject({ mode: "closed", path: EXAMPLE });
    const directory = loaded.mode === "closed" ? loaded.directory : undefined;
    expect(directory?.people().map((person) => [person.id, person.roles])).toEqual([
      ["alice", ["dev"]],
      ["bob", ["ops"]],
      ["carol", ["ops", "admin"]],
    ]);
    expect(directory?.byAddress("telegram:4242")?.notify).toBe("telegram:4242");
    expect(directory?.person("alice")?.notify).toBe("dev:alice");
    expect(log.lines).toEqual([`directory of people loaded {"usersFile":"${EXAMPLE}","people":3}`]);
  });

  test("config/users.yaml is read from the working directory when USERS_FILE is unset", () => {
    const cwd = aCwdWithUsersFile('users:\n  dave: { addresses: ["dev:dave"] }\n');

    const loaded = loadDirectory({}, undefined, cwd);

    expect(loaded).toMatchObject({ mode: "closed", path: "config/users.yaml" });
    expect(loaded.mode === "closed" && loaded.directory.byAddress("dev:dave")?.id).toBe("dave");
  });

  test("a relative USERS_FILE is taken from the working directory", () => {
    const cwd = aDir();
    writeFileSync(join(cwd, "people.yaml"), 'users:\n  erin: { addresses: ["dev:erin"] }\n');

    const loaded = loadDirectory({ USERS_FILE: "people.yaml" }, undefined, cwd);

    expect(loaded).toMatchObject({ mode: "closed", path: "people.yaml" });
  });

  test("USERS_FILE naming a file that is not there is a ConfigError naming both", () => {
    const message = configError(() =>
      loadDirectory({ USERS_FILE: "users.yaml" }, undefined, aDir()),
    );

    expect(message).toMatch(
      /^USERS_FILE names "users\.yaml", but the directory of people cannot be read: ENOENT/,
    );
  });

  test("config/users.yaml that cannot be read is a ConfigError, not open mode", () => {
    const cwd = aDir();
    mkdirSync(join(cwd, "config/users.yaml"), { recursive: true });

    expect(configError(() => loadDirectory({}, undefined, cwd))).toMatch(
      /^config\/users\.yaml \(the default of USERS_FILE\) is there, but the directory of people cannot be read: EISDIR/,
    );
  });

  test("an invalid file is one ConfigError listing every error, one a line", () => {
    const cwd = aCwdWithUsersFile(
      'users:\n  alice: { addresses: ["sms:555"] }\n  bob: { addresses: ["dev:bob"], team: ops }\n',
    );

    expect(configError(() => loadDirectory({}, undefined, cwd))).toBe(
      [
        "invalid directory of people (USERS_FILE), 2 error(s):",
        '  config/users.yaml: user "alice", field "addresses[0]": an sms address is "sms:" then an E.164 number, + and 8-15 digits (e.g. "sms:+15551230001")',
        '  config/users.yaml: user "bob": unknown field "team"',
      ].join("\n"),
    );
  });
});
