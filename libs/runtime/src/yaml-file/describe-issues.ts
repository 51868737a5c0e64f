import type { z } from "zod";

export type IssuePath = readonly PropertyKey[];

/** How one kind of file names the places in it. */
export interface IssueWording {
  /** `job "deploy", field "timeoutSeconds"`: where the path is, "" for the top. */
  locate(path: IssuePath): string;
  /** What a map key at `path` that is not valid should have been, e.g. `job name (…)`. */
  keyName(path: IssuePath): string;
}

/** One line per problem zod found, each naming the file and where in it. */
export function describeIssues(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  wording: IssueWording,
): string[] {
  const line = (path: IssuePath, problem: string) => {
    const where = wording.locate(path);
    return where === "" ? `${file}: ${problem}` : `${file}: ${where}: ${problem}`;
  };
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => line(issue.path, `unknown field ${quote(key)}`));
    }
    if (issue.code === "invalid_key") {
      return [line(issue.path, `not a valid ${wording.keyName(issue.path)}`)];
    }
    return [line(issue.path, message(issue))];
  });
}

function message(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    return "missing";
  }
  return issue.message.replace(/^Invalid input: /, "");
}

/** `field "retry.maxAttempts"`, `field "addresses[1]"`; "" for an empty path. */
export function fieldAt(path: IssuePath): string {
  if (path.length === 0) return "";
  const name = path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
  return `field ${quote(name)}`;
}

export const quote = (key: PropertyKey) => JSON.stringify(String(key));
