import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A job of a test's catalog: the built-in demo executor under the given fields (inline YAML). */
export interface DemoJob {
  description: string;
  parameters?: string;
  approval?: string;
}

/** Writes a catalog of demo jobs to a temporary file; its path. */
export function catalogFile(jobs: Record<string, DemoJob>): string {
  const file = join(mkdtempSync(join(tmpdir(), "jobs-")), "jobs.yaml");
  const lines = Object.entries(jobs).flatMap(([key, job]) => [
    `  ${key}:`,
    `    description: ${job.description}`,
    ...(job.parameters === undefined ? [] : [`    parameters: ${job.parameters}`]),
    "    executor: { kind: builtin, name: demo }",
    ...(job.approval === undefined ? [] : [`    approval: ${job.approval}`]),
  ]);
  writeFileSync(file, ["jobs:", ...lines, ""].join("\n"));
  return file;
}
