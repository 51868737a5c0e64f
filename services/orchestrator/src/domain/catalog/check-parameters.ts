import type { JobDefinition, ParameterDefinition, ParameterValue } from "@textops/contracts";

export type ParameterProblem = {
  kind: "missing" | "unknown" | "invalid";
  parameter: string;
  /** For the sender: `seconds must be a whole number, got "abc"`. */
  reason: string;
};

export type ParameterCheck =
  { ok: true; values: ParameterValue[] } | { ok: false; problems: ParameterProblem[] };

/**
 * The values a run of `job` would have: each given one read as its type and
 * checked against its limits, defaults applied, in the catalog's order.
 * Names match whatever their case (`dryrun=true` for `dryRun`). Otherwise
 * every parameter that is missing, unknown or invalid, and why.
 */
export function checkParameters(
  job: Pick<JobDefinition, "parameters">,
  given: readonly { name: string; value: string }[],
): ParameterCheck {
  const definitions = Object.entries(job.parameters);
  const problems: ParameterProblem[] = [];
  const byName = new Map<string, string>();
  for (const { name, value } of given) {
    const defined = definitions.find(([key]) => key.toLowerCase() === name.toLowerCase());
    if (defined === undefined) {
      const known = definitions.map(([key]) => key).join(", ");
      const hint = known === "" ? "the job takes no parameters" : `it takes ${known}`;
      problems.push({
        kind: "unknown",
        parameter: name,
        reason: `unknown parameter "${name}"; ${hint}`,
      });
    } else if (byName.has(defined[0])) {
      problems.push({
        kind: "invalid",
        parameter: defined[0],
        reason: `${defined[0]} is given twice`,
      });
    } else {
      byName.set(defined[0], value);
    }
  }
  const values: ParameterValue[] = [];
  for (const [name, definition] of definitions) {
    const raw = byName.get(name);
    if (raw === undefined) {
      if (definition.default !== undefined) values.push({ name, value: definition.default });
      else if (definition.required) {
        problems.push({ kind: "missing", parameter: name, reason: `${name} is required` });
      }
      continue;
    }
    const read = readValue(name, definition, raw);
    if (typeof read === "object") problems.push(read);
    else values.push({ name, value: read });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ["true", true],
  ["yes", true],
  ["false", false],
  ["no", false],
]);

function readValue(
  name: string,
  definition: ParameterDefinition,
  raw: string,
): string | number | boolean | ParameterProblem {
  const invalid = (why: string): ParameterProblem => ({
    kind: "invalid",
    parameter: name,
    reason: `${name} ${why}, got ${JSON.stringify(raw)}`,
  });
  switch (definition.type) {
    case "string":
      if (definition.pattern !== undefined && !new RegExp(definition.pattern, "u").test(raw)) {
        return invalid(`must match ${definition.pattern}`);
      }
      return raw;
    case "int": {
      const value = /^[+-]?\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value)) return invalid("must be a whole number");
      const { min, max } = definition;
      if (min !== undefined && value < min) return invalid(`must be at least ${min}`);
      if (max !== undefined && value > max) return invalid(`must be at most ${max}`);
      return value;
    }
    case "bool": {
      const value = BOOLEANS.get(raw.toLowerCase());
      return value ?? invalid("must be true or false");
    }
    case "enum":
      return definition.values.includes(raw)
        ? raw
        : invalid(`must be one of ${definition.values.join(", ")}`);
  }
}
