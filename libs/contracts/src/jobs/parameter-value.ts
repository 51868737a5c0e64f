import { z } from "zod";

/**
 * A parameter as a run will use it: read as its catalog type, defaults
 * applied. A list of these, so names chosen by people never become keys.
 */
export const ParameterValue = z.object({
  name: z.string().min(1).max(64),
  value: z.union([z.string().max(1000), z.number().finite(), z.boolean()]),
});
export type ParameterValue = z.infer<typeof ParameterValue>;

/** `service=api replicas=2 dryRun=false`: parameters as the approval request shows them. */
export function showParameters(parameters: readonly ParameterValue[]): string {
  return parameters.map(({ name, value }) => `${name}=${showValue(value)}`).join(" ");
}

function showValue(value: ParameterValue["value"]): string {
  const text = String(value);
  return text === "" || /[\s"'\\]/u.test(text) ? JSON.stringify(text) : text;
}
