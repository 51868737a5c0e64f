import { z } from "zod";

/** Runs argv directly, never through a shell; parameters reach it as environment variables only. */
const ShellExecutor = z.strictObject({
  kind: z.literal("shell"),
  command: z.array(z.string().min(1)).min(1, "command must name a program"),
  cwd: z.string().min(1).optional(),
});

/** POSTs the run to `url`, signed with the secret in the environment variable `secretEnv`. */
const HttpExecutor = z.strictObject({
  kind: z.literal("http"),
  url: z.url({ protocol: /^https?$/, error: "url must be an http:// or https:// URL" }),
  secretEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, "secretEnv must be an environment variable's name"),
});

/** One of the worker's built-in jobs (`demo`, `sleep`, `fail`, `echo`, `flaky`). */
const BuiltinExecutor = z.strictObject({
  kind: z.literal("builtin"),
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/, "name must be a built-in job's name"),
});

/** How a job is executed. */
export const ExecutorDefinition = z.discriminatedUnion(
  "kind",
  [ShellExecutor, HttpExecutor, BuiltinExecutor],
  {
    error: (issue) =>
      issue.input === undefined ? "missing" : "kind must be one of shell, http, builtin",
  },
);
export type ExecutorDefinition = z.infer<typeof ExecutorDefinition>;
export type ExecutorKind = ExecutorDefinition["kind"];
export type ShellExecutorDefinition = Extract<ExecutorDefinition, { kind: "shell" }>;
export type HttpExecutorDefinition = Extract<ExecutorDefinition, { kind: "http" }>;
export type BuiltinExecutorDefinition = Extract<ExecutorDefinition, { kind: "builtin" }>;
