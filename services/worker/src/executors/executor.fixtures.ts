import { pino } from "pino";
import { discardOutput, type ExecutorContext, type OutputSink } from "./job-executor.js";

/** A context for one run of an executor in a test; any field can be given. */
export function anExecutorContext(fields: Partial<ExecutorContext> = {}): ExecutorContext {
  return {
    runId: "RUN234",
    jobKey: "deploy",
    attempt: 1,
    parameters: [],
    requestedBy: "user:dev:alice",
    approvedBy: ["user:dev:bob"],
    signal: new AbortController().signal,
    output: discardOutput,
    log: pino({ level: "silent" }),
    ...fields,
  };
}

/** Keeps everything written to it, and tells when a piece of text has arrived. */
export class RecordedOutput implements OutputSink {
  #text = "";
  #waiting: { fragment: string; arrived: () => void }[] = [];

  get text(): string {
    return this.#text;
  }

  write(text: string): void {
    this.#text += text;
    const arrived = this.#waiting.filter((w) => this.#text.includes(w.fragment));
    this.#waiting = this.#waiting.filter((w) => !arrived.includes(w));
    for (const waiter of arrived) waiter.arrived();
  }

  /** Resolves once `fragment` was written; rejects after `timeoutMs` so a test fails plainly. */
  waitFor(fragment: string, timeoutMs = 10_000): Promise<void> {
    if (this.#text.includes(fragment)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no ${JSON.stringify(fragment)} in output ${JSON.stringify(this.#text)}`));
      }, timeoutMs);
      this.#waiting.push({
        fragment,
        arrived: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** Polls `check` until it holds, failing after `timeoutMs`: for what no event announces. */
export async function eventually(
  what: string,
  check: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a process with this pid exists (a zombie not yet reaped counts). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}
