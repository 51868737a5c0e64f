import type { JobDefinition, ParameterDefinition } from "@textops/contracts";

/** `replicas (int 1–20, default 2)`: a parameter's type, limits and default, for `help <job>`. */
export function describeParameter(name: string, parameter: ParameterDefinition): string {
  const facts = [kindOf(parameter)];
  if (parameter.required) facts.push("required");
  if (parameter.default !== undefined) facts.push(`default ${String(parameter.default)}`);
  const description = parameter.description === undefined ? "" : `: ${parameter.description}`;
  return `${name} (${facts.join(", ")})${description}`;
}

function kindOf(parameter: ParameterDefinition): string {
  switch (parameter.type) {
    case "string":
      return parameter.pattern === undefined ? "text" : `text matching ${parameter.pattern}`;
    case "int": {
      const { min, max } = parameter;
      if (min !== undefined && max !== undefined) return `whole number ${min}–${max}`;
      if (min !== undefined) return `whole number ≥ ${min}`;
      if (max !== undefined) return `whole number ≤ ${max}`;
      return "whole number";
    }
    case "bool":
      return "true or false";
    case "enum":
      return parameter.values.join("|");
  }
}

/** `run deploy service=… version=… [replicas=…]`: how to ask for the job. */
export function usageOf(jobKey: string, job: Pick<JobDefinition, "parameters">): string {
  const words = Object.entries(job.parameters).map(([name, parameter]) =>
    parameter.required ? `${name}=…` : `[${name}=…]`,
  );
  return ["run", jobKey, ...words].join(" ");
}
