import { JobStopped } from "./job-stopped.js";

export interface RunKey {
  runId: string;
  attempt: number;
}

export interface RunningJob {
  /** Aborted by cancel() of this job's key or by abortAll(). */
  signal: AbortSignal;
  /** Forget the job once it has ended. */
  release(): void;
}

/** The jobs this worker is running, so a cancel or the shutdown deadline can stop them. */
export interface RunningJobs {
  register(key: RunKey): RunningJob;
  /** Aborts the job with this key, if it runs here; says whether it did. */
  cancel(key: RunKey): boolean;
  /** Aborts every running job; says how many. */
  abortAll(): number;
  readonly size: number;
}

const keyOf = (key: RunKey) => `${key.runId}#${key.attempt}`;

export function createRunningJobs(): RunningJobs {
  // A set per key: a duplicate delivery of one dispatch may run beside the first.
  const jobs = new Map<string, Set<AbortController>>();

  function abort(controllers: Iterable<AbortController>, reason: JobStopped): number {
    let count = 0;
    for (const controller of controllers) {
      if (controller.signal.aborted) continue;
      controller.abort(reason);
      count += 1;
    }
    return count;
  }

  return {
    register(key) {
      const controller = new AbortController();
      const set = jobs.get(keyOf(key)) ?? new Set();
      jobs.set(keyOf(key), set.add(controller));
      const release = () => {
        set.delete(controller);
        if (set.size === 0 && jobs.get(keyOf(key)) === set) jobs.delete(keyOf(key));
      };
      return { signal: controller.signal, release };
    },
    cancel(key) {
      return abort(jobs.get(keyOf(key)) ?? [], JobStopped.cancelled()) > 0;
    },
    abortAll() {
      return abort(
        [...jobs.values()].flatMap((set) => [...set]),
        JobStopped.shuttingDown(),
      );
    },
    get size() {
      return jobs.size;
    },
  };
}
