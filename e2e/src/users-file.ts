import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One person of a test directory, as config/users.example.yaml describes the fields. */
export interface TestPerson {
  name?: string;
  roles?: string[];
  addresses: string[];
  notify?: string;
}

export interface TestDirectory {
  /** The users file to hand to the services as USERS_FILE. */
  path: string;
  /** The bearer token of one person; the file holds only its hash. */
  tokenOf(personId: string): string;
  /** The token of the first person with role admin: it may read every run and conversation. */
  adminToken: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Writes a directory of these people to a temporary users file, each with an
 * API token of their own, fresh for every call (so per test file). JSON is
 * YAML 1.2, so the file is written as JSON.
 */
export function writeUsersFile(people: Record<string, TestPerson>): TestDirectory {
  const tokens = new Map(Object.keys(people).map((id) => [id, randomBytes(32).toString("hex")]));
  const tokenOf = (personId: string): string => {
    const token = tokens.get(personId);
    if (token === undefined) throw new Error(`no person ${personId} in the test directory`);
    return token;
  };
  const users = Object.fromEntries(
    Object.entries(people).map(([id, person]) => [
      id,
      { ...person, apiTokens: [`sha256:${sha256(tokenOf(id))}`] },
    ]),
  );
  const admin = Object.entries(people).find(([, person]) => person.roles?.includes("admin"));
  if (admin === undefined) throw new Error("a test directory needs a person with role admin");
  const path = join(mkdtempSync(join(tmpdir(), "users-")), "users.yaml");
  writeFileSync(path, `${JSON.stringify({ users }, null, 2)}\n`);
  return { path, tokenOf, adminToken: tokenOf(admin[0]) };
}
