import { demoExecutor } from "./demo.executor.js";
import { echoExecutor } from "./echo.executor.js";
import { failExecutor } from "./fail.executor.js";
import { flakyExecutor } from "./flaky.executor.js";
import type { JobExecutor } from "./job-executor.js";
import { sleepExecutor } from "./sleep.executor.js";

/** The built-in executors, by the name a `builtin` executor definition gives. */
export type ExecutorRegistry = ReadonlyMap<string, JobExecutor>;

export interface BuiltInOptions {
  demoDelayMs: number;
}

/** The built-in executors every worker has. */
export function builtInExecutors(options: BuiltInOptions): ExecutorRegistry {
  return new Map<string, JobExecutor>([
    ["demo", demoExecutor({ delayMs: options.demoDelayMs })],
    ["sleep", sleepExecutor],
    ["fail", failExecutor],
    ["echo", echoExecutor],
    ["flaky", flakyExecutor],
  ]);
}
