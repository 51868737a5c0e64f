import type { z } from "zod";

type Path = readonly PropertyKey[];

/** `job "deploy", parameter "replicas", field "min"`: where in the catalog an issue is. */
export function describeLocation(path: Path): string {
  const [top, job, ...rest] = path;
  if (top !== "jobs" || job === undefined) return field(path);
  const parts = [`job ${quote(job)}`];
  const [section, parameter, ...inParameter] = rest;
  if (section === "parameters" && parameter !== undefined) {
    parts.push(`parameter ${quote(parameter)}`);
    if (inParameter.length > 0) parts.push(field(inParameter));
  } else if (rest.length > 0) {
    parts.push(field(rest));
  }
  return parts.join(", ");
}

/** One line per problem zod found, each naming the file and where in it. */
export function describeIssues(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => line(file, issue.path, `unknown field ${quote(key)}`));
    }
    if (issue.code === "invalid_key") {
      const [what, hint] = isJobKey(issue.path) ? ["job name", jobNameRule] : ["name", ""];
      return [line(file, issue.path, `not a valid ${what}${hint}`)];
    }
    return [line(file, issue.path, message(issue))];
  });
}

const jobNameRule = " (lower-case letters, digits, _ . or -, at most 64)";

const isJobKey = (path: Path) => path.length === 2 && path[0] === "jobs";

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
