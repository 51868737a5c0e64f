import { spawn, type ChildProcess } from "node:child_process";
import { stat } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import type { ShellExecutorDefinition } from "@textops/contracts";
import {
  abortReason,
  RetryableJobError,
  type ExecutorContext,
  type ExecutorResult,
  type JobExecutor,
  type OutputSink,
} from "./job-executor.js";
import { LastLine } from "./output-lines.js";
import { endProcessGroup } from "./process-group.js";
import { shellEnvironment } from "./shell-environment.js";

export interface ShellOptions {
  /** Exit codes that mean "try again later" (the job's retry.onExitCodes). */
  onExitCodes: readonly number[];
  /** How long the job's processes have between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** Where PATH, HOME, LANG and TZ are taken from (default: the worker's environment); nothing else of it passes. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** After the job's processes are gone, how long output still held open elsewhere is waited for. */
const OUTPUT_DRAIN_MS = 1_000;

/**
 * Runs the definition's argv directly, never through a shell, in a process
 * group of its own. Settles only once every process of the group has ended:
 * on abort they get SIGTERM, then SIGKILL after `killGraceMs`, and what the
 * job leaves running after its own process exits is ended the same way.
 */
export function shellExecutor(
  definition: ShellExecutorDefinition,
  options: ShellOptions,
): JobExecutor {
  return async (ctx) => {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const env = shellEnvironment(ctx, options.baseEnv ?? process.env);
    const [program, ...args] = definition.command;
    if (program === undefined) throw new Error("the command names no program");
    const child = start(program, args, definition.cwd, env);
    if (child instanceof Error) throw await cannotRun(program, definition.cwd, child);
    if (child.pid === undefined) {
      // spawn reports ENOENT, EACCES and the like on the next tick, as an error event.
      const error = await new Promise<Error>((resolve) => child.once("error", resolve));
      throw await cannotRun(program, definition.cwd, error);
    }
    return await supervise(child, child.pid, ctx, options);
  };
}

/** The started process; or, when spawn refused at once (ENOTDIR and the like), why. */
function start(
  program: string,
  args: string[],
  cwd: string | undefined,
  env: Record<string, string>,
): ChildProcess | Error {
  try {
    return spawn(program, args, {
      cwd,
      env,
      shell: false,
      detached: true, // its own process group, so the whole job can be signalled at once
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function supervise(
  child: ChildProcess,
  pid: number,
  ctx: ExecutorContext,
  options: ShellOptions,
): Promise<ExecutorResult> {
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.on("error", (error) => ctx.log.warn({ err: error }, "shell job process error"));
  const lastLine = forwardOutput(child, ctx.output);

  let stopping: Promise<unknown> | undefined;
  const stop = () => {
    stopping = endProcessGroup(pid, options.killGraceMs).catch((error: unknown) => {
      ctx.log.error({ err: error, pid }, "could not stop the shell job");
    });
  };
  ctx.signal.addEventListener("abort", stop, { once: true });
  try {
    const exit = await exited;
    ctx.signal.removeEventListener("abort", stop);
    await stopping;
    const leftovers = await endProcessGroup(pid, options.killGraceMs);
    if (leftovers !== "had-ended") {
      ctx.log.warn({ pid, leftovers }, "ended processes the shell job left running");
    }
    await drained(child, closed);
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    return verdict(exit, lastLine.value, options.onExitCodes);
  } catch (error) {
    throw ctx.signal.aborted ? abortReason(ctx.signal) : error;
  } finally {
    ctx.signal.removeEventListener("abort", stop);
  }
}

/** Writes stdout and stderr to `output` as they come; keeps only their last line. */
function forwardOutput(child: ChildProcess, output: OutputSink): LastLine {
  const lastLine = new LastLine();
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (text: string) => {
      lastLine.push(text);
      output.write(text);
    });
  }
  return lastLine;
}

/** Waits for the output pipes to close, unless something that left the group holds them open. */
async function drained(child: ChildProcess, closed: Promise<void>): Promise<void> {
  const timer = new AbortController();
  const timedOut = delay(OUTPUT_DRAIN_MS, undefined, { signal: timer.signal }).catch(() => {});
  await Promise.race([closed, timedOut]);
  timer.abort();
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function verdict(exit: Exit, lastLine: string, onExitCodes: readonly number[]): ExecutorResult {
  if (exit.code === 0) return { summary: lastLine === "" ? "exit 0" : lastLine };
  if (exit.code === null) throw new Error(`killed by ${exit.signal ?? "a signal"}`);
  const message = lastLine === "" ? `exit ${exit.code}` : `exit ${exit.code}: ${lastLine}`;
  throw onExitCodes.includes(exit.code) ? new RetryableJobError(message) : new Error(message);
}

const SPAWN_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  ENOEXEC: "not an executable program",
  ENOTDIR: "a part of its path is not a directory",
};
const SHORT_OF_RESOURCES = new Set(["EAGAIN", "EMFILE", "ENFILE"]);

/** The program could not be started: never worth another try, unless the worker ran short of processes or files. */
async function cannotRun(program: string, cwd: string | undefined, error: Error): Promise<Error> {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if ((code === "ENOENT" || code === "ENOTDIR") && cwd !== undefined && !(await isDirectory(cwd))) {
    return new Error(`cannot run ${program}: no working directory ${cwd}`);
  }
  const message = `cannot run ${program}: ${SPAWN_ERRORS[code] ?? error.message}`;
  return SHORT_OF_RESOURCES.has(code) ? new RetryableJobError(message) : new Error(message);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
