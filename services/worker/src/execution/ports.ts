/**
 * Which worker took which attempt of a run. A dispatch can be published more
 * than once (the orchestrator's outbox is at-least-once); the claim makes the
 * job run once per attempt however often its dispatch arrives.
 */
export interface ExecutionClaims {
  /** "claimed" for the first claim of an attempt, "taken" for every later one. */
  claim: (runId: string, attempt: number, workerId: string) => Promise<"claimed" | "taken">;
}

/** Where one attempt's output is kept while its job runs (bounded, beside the run). */
export interface AttemptOutput {
  /** Never throws: output is kept on a best-effort basis and never stops a job. */
  write(text: string): void;
  /** Writes what is still buffered. */
  close(): Promise<void>;
}

export interface RunOutputs {
  open(runId: string, attempt: number): AttemptOutput;
}
