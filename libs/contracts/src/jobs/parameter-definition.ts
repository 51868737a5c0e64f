import { z } from "zod";

/** A parameter's name: it reaches a shell job as `TEXTOPS_PARAM_<NAME>`, so letters, digits and `_`. */
export const ParameterName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a letter, then letters, digits or _ (at most 64)");

const common = {
  description: z.string().optional(),
  required: z.boolean().default(false),
};

const StringParameter = z.strictObject({
  type: z.literal("string"),
  ...common,
  /** A JavaScript regular expression the value must match (anchor it with ^…$ to match all of it). */
  pattern: z.string().optional(),
  default: z.string().optional(),
});

const IntParameter = z.strictObject({
  type: z.literal("int"),
  ...common,
  min: z.int().optional(),
  max: z.int().optional(),
  default: z.int().optional(),
});

const BoolParameter = z.strictObject({
  type: z.literal("bool"),
  ...common,
  default: z.boolean().optional(),
});

const EnumParameter = z.strictObject({
  type: z.literal("enum"),
  ...common,
  values: z.array(z.string()).min(1, "values lists no value"),
  default: z.string().optional(),
});

/** One parameter of a job: its type, its limits, its default. */
export const ParameterDefinition = z
  .discriminatedUnion("type", [StringParameter, IntParameter, BoolParameter, EnumParameter], {
    error: "type must be one of string, int, bool, enum",
  })
  .superRefine((parameter, context) => {
    for (const message of inconsistencies(parameter)) context.addIssue({ code: "custom", message });
  });
export type ParameterDefinition = z.infer<typeof ParameterDefinition>;

/** What a parameter's fields, each valid, say that cannot all hold at once. */
function inconsistencies(parameter: z.infer<typeof ParameterDefinition>): string[] {
  const found: string[] = [];
  if (parameter.required && parameter.default !== undefined) {
    found.push("a parameter with a default cannot be required");
  }
  switch (parameter.type) {
    case "string": {
      const pattern = compile(parameter.pattern);
      if (typeof pattern === "string") found.push(pattern);
      else if (pattern && parameter.default !== undefined && !pattern.test(parameter.default)) {
        found.push(`default ${JSON.stringify(parameter.default)} does not match pattern`);
      }
      break;
    }
    case "int": {
      const { min, max, default: value } = parameter;
      if (min !== undefined && max !== undefined && min > max) {
        found.push("min must not be above max");
      } else if (value !== undefined && min !== undefined && value < min) {
        found.push(`default ${value} is below min ${min}`);
      } else if (value !== undefined && max !== undefined && value > max) {
        found.push(`default ${value} is above max ${max}`);
      }
      break;
    }
    case "enum": {
      const repeated = parameter.values.find((v, i) => parameter.values.indexOf(v) !== i);
      if (repeated !== undefined) found.push(`values lists ${JSON.stringify(repeated)} twice`);
      if (parameter.default !== undefined && !parameter.values.includes(parameter.default)) {
        found.push(`default ${JSON.stringify(parameter.default)} is not one of values`);
      }
      break;
    }
    case "bool":
      break;
  }
  return found;
}

/** The pattern as a RegExp, or why it is none. */
function compile(pattern: string | undefined): RegExp | string | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, "u");
  } catch (error) {
    return `pattern is not a valid regular expression: ${(error as Error).message}`;
  }
}
