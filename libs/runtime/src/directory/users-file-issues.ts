import { NAME_RULE } from "@textops/contracts";
import type { z } from "zod";

type Path = readonly PropertyKey[];

/** `user "bob", field "addresses[1]"`: where in the directory of people an issue is. */
export function describeLocation(path: Path): string {
  const [top, id, ...rest] = path;
  if (top !== "users" || id === undefined) return field(path);
  const person = `user ${quote(id)}`;
  return rest.length === 0 ? person : `${person}, ${field(rest)}`;
}

/** One line per problem zod found, each naming the file and where in it. */
export function describeIssues(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => line(file, issue.path, `unknown field ${quote(key)}`));
    }
    if (issue.code === "invalid_key") {
      const what = isPersonKey(issue.path) ? `person id (${NAME_RULE})` : "name";
      return [line(file, issue.path, `not a valid ${what}`)];
    }
    return [line(file, issue.path, message(issue))];
  });
}

const isPersonKey = (path: Path) => path.length === 2 && path[0] === "users";

function line(file: string, path: Path, problem: string): string {
  const where = describeLocation(path);
  return where === "" ? `${file}: ${problem}` : `${file}: ${where}: ${problem}`;
}

function message(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    return "missing";
  }
  return issue.message.replace(/^Invalid input: /, "");
}

function field(path: Path): string {
  if (path.length === 0) return "";
  const name = path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
  return `field ${quote(name)}`;
}

const quote = (key: PropertyKey) => JSON.stringify(String(key));
