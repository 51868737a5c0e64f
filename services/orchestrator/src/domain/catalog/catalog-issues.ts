import { fieldAt, quote, type IssuePath, type IssueWording } from "@textops/runtime/yaml-file";

/** `job "deploy", parameter "replicas", field "min"`: where in the catalog an issue is. */
export function describeLocation(path: IssuePath): string {
  const [top, job, ...rest] = path;
  if (top !== "jobs" || job === undefined) return fieldAt(path);
  const parts = [`job ${quote(job)}`];
  const [section, parameter, ...inParameter] = rest;
  if (section === "parameters" && parameter !== undefined) {
    parts.push(`parameter ${quote(parameter)}`);
    if (inParameter.length > 0) parts.push(fieldAt(inParameter));
  } else if (rest.length > 0) {
    parts.push(fieldAt(rest));
  }
  return parts.join(", ");
}

const jobNameRule = " (lower-case letters, digits, _ . or -, at most 64)";

export const catalogWording: IssueWording = {
  locate: describeLocation,
  keyName: (path) => (path.length === 2 && path[0] === "jobs" ? `job name${jobNameRule}` : "name"),
};
