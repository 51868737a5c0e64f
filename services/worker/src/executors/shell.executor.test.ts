import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParameterValue } from "@textops/contracts";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  anExecutorContext,
  eventually,
  processExists,
  RecordedOutput,
} from "./executor.fixtures.js";
import { RetryableJobError, type ExecutorContext } from "./job-executor.js";
import { shellExecutor, type ShellOptions } from "./shell.executor.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "textops-shell-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const baseEnv = { PATH: process.env["PATH"] ?? "/usr/bin:/bin" };

/** Writes an executable `#!/bin/sh` script into the test's directory; returns its path. */
async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

function run(
  command: string[],
  ctx: Partial<ExecutorContext> = {},
  options: Partial<ShellOptions> = {},
) {
  const execute = shellExecutor(
    { kind: "shell", command, cwd: dir },
    { onExitCodes: [], killGraceMs: 2_000, baseEnv, ...options },
  );
  return execute(anExecutorContext(ctx));
}

const stopped = new Error("cancelled");

describe(shellExecutor.name, () => {
  test("succeeds with the last non-empty line of output as its summary", async () => {
    const job = await script("job.sh", "echo starting\necho '  deployed api v2  '\necho");

    await expect(run([job])).resolves.toEqual({ summary: "deployed api v2" });
  });

  test('says "exit 0" when it printed nothing, and clips a long last line', async () => {
    await expect(run(["true"])).resolves.toEqual({ summary: "exit 0" });
    const long = await run(["sh", "-c", "printf 'x%.0s' $(seq 500)"]);
    expect(long.summary).toBe("x".repeat(200));
  });

  test("runs argv as given, never through a shell", async () => {
    const output = new RecordedOutput();

    await run(["printf", "%s|", "a b", "$(touch pwned)", "*", "`id`;"], { output });

    expect(output.text).toBe("a b|$(touch pwned)|*|`id`;|");
    await expect(stat(join(dir, "pwned"))).rejects.toThrow(/ENOENT/);
  });

  test("hands parameters over verbatim as TEXTOPS_PARAM_<NAME>, with the run's identity", async () => {
    const home = join(dir, "home");
    await mkdir(home);
    const pwned = join(dir, "pwned");
    const hostile = `$(touch ${pwned}); rm -rf ~`;
    const seen = join(dir, "seen");
    const job = await script(
      "job.sh",
      `printf '%s' "$TEXTOPS_PARAM_NOTE" > ${seen}
echo "$TEXTOPS_RUN_ID $TEXTOPS_JOB $TEXTOPS_ATTEMPT $TEXTOPS_PARAM_REPLICAS $TEXTOPS_PARAM_DRYRUN"`,
    );
    const parameters: ParameterValue[] = [
      { name: "note", value: hostile },
      { name: "replicas", value: 3 },
      { name: "dryRun", value: false },
    ];

    const result = await run(
      [job],
      { parameters, runId: "RUN234", jobKey: "deploy", attempt: 2 },
      {
        baseEnv: { ...baseEnv, HOME: home },
      },
    );

    expect(result).toEqual({ summary: "RUN234 deploy 2 3 false" });
    expect(await readFile(seen, "utf8")).toBe(hostile);
    await expect(stat(pwned)).rejects.toThrow(/ENOENT/);
    expect((await stat(home)).isDirectory()).toBe(true);
  });

  test("passes only PATH, HOME, LANG and TZ of the worker's environment", async () => {
    const output = new RecordedOutput();
    process.env["TEXTOPS_TEST_DISPATCH_SECRET"] = "s3cret";
    try {
      await run(["env"], { output }, { baseEnv: undefined });
    } finally {
      delete process.env["TEXTOPS_TEST_DISPATCH_SECRET"];
    }

    const names = output.text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => line.slice(0, line.indexOf("=")));
    const allowed = [
      "PATH",
      "HOME",
      "LANG",
      "TZ",
      "TEXTOPS_RUN_ID",
      "TEXTOPS_JOB",
      "TEXTOPS_ATTEMPT",
    ];
    expect(names.filter((name) => !allowed.includes(name))).toEqual([]);
    expect(names).toContain("PATH");
    expect(output.text).not.toContain("s3cret");
  });

  test("fails with the exit code and the last line, stderr included", async () => {
    const output = new RecordedOutput();
    const job = await script("job.sh", "echo working\necho 'disk full' >&2\nexit 4");

    const failure = run([job], { output });

    await expect(failure).rejects.toThrow(new Error("exit 4: disk full"));
    await expect(failure).rejects.not.toBeInstanceOf(RetryableJobError);
    expect(output.text).toBe("working\ndisk full\n");
  });

  test('says only "exit <code>" when there was no output', async () => {
    await expect(run(["sh", "-c", "exit 5"])).rejects.toThrow(new Error("exit 5"));
  });

  test("fails retryably on an exit code the job lists as worth another try", async () => {
    const failure = run(["sh", "-c", "echo busy; exit 75"], {}, { onExitCodes: [75] });

    await expect(failure).rejects.toBeInstanceOf(RetryableJobError);
    await expect(failure).rejects.toThrow("exit 75: busy");
  });

  test("names the signal that killed it", async () => {
    await expect(run(["sh", "-c", "kill -TERM $$"])).rejects.toThrow(
      new Error("killed by SIGTERM"),
    );
  });

  test.each([
    ["./scripts/deploy.sh", "cannot run ./scripts/deploy.sh: no such file"],
    ["no-such-program-here", "cannot run no-such-program-here: no such file"],
  ])("cannot run %s", async (program, message) => {
    const failure = run([program]);

    await expect(failure).rejects.toThrow(new Error(message));
    await expect(failure).rejects.not.toBeInstanceOf(RetryableJobError);
  });

  test("cannot run a file that is not executable", async () => {
    await script("deploy.sh", "echo hi", 0o644);

    await expect(run(["./deploy.sh"])).rejects.toThrow(
      new Error("cannot run ./deploy.sh: permission denied"),
    );
  });

  test.each(["gone", "job.sh"])(
    "names a working directory that is missing or not a directory (%s)",
    async (name) => {
      await script("job.sh", "true");
      const cwd = join(dir, name);
      const execute = shellExecutor(
        { kind: "shell", command: ["true"], cwd },
        {
          onExitCodes: [],
          killGraceMs: 100,
          baseEnv,
        },
      );

      await expect(execute(anExecutorContext())).rejects.toThrow(
        new Error(`cannot run true: no working directory ${cwd}`),
      );
    },
  );

  test("writes output as it comes, while the job still runs", async () => {
    const output = new RecordedOutput();
    const controller = new AbortController();
    const job = await script("job.sh", "echo 'step 1 done'\nexec sleep 300");

    const running = run([job], { output, signal: controller.signal });
    await output.waitFor("step 1 done\n");
    controller.abort(stopped);

    await expect(running).rejects.toBe(stopped);
  });

  test("on abort, ends the whole process group, grandchildren included, before it settles", async () => {
    const output = new RecordedOutput();
    const controller = new AbortController();
    const pidFile = join(dir, "grandchild.pid");
    const job = await script(
      "job.sh",
      `sleep 300 &\necho $! > "$TEXTOPS_PARAM_PIDFILE"\necho started\nwait`,
    );

    // A grace period longer than the test may take: SIGTERM alone must end them all.
    const running = run(
      [job],
      { output, signal: controller.signal, parameters: [{ name: "pidFile", value: pidFile }] },
      { killGraceMs: 60_000 },
    );
    await output.waitFor("started");
    const grandchild = Number(await readFile(pidFile, "utf8"));
    expect(processExists(grandchild)).toBe(true);
    controller.abort(stopped);

    await expect(running).rejects.toBe(stopped);
    await eventually(`grandchild ${grandchild} is gone`, () => !processExists(grandchild));
  });

  test("kills with SIGKILL what ignores SIGTERM, once the grace period is over", async () => {
    const output = new RecordedOutput();
    const controller = new AbortController();
    const pidFile = join(dir, "stubborn.pid");
    // Ignored signals stay ignored across fork and exec: the sleep ignores SIGTERM too.
    const job = await script(
      "job.sh",
      `trap '' TERM\nsleep 300 &\necho $! > ${pidFile}\necho ready\nwait`,
    );

    const running = run([job], { output, signal: controller.signal }, { killGraceMs: 300 });
    await output.waitFor("ready");
    const stubborn = Number(await readFile(pidFile, "utf8"));
    const abortedAt = performance.now();
    controller.abort(stopped);

    await expect(running).rejects.toBe(stopped);
    expect(performance.now() - abortedAt).toBeGreaterThanOrEqual(290);
    await eventually(`process ${stubborn} is gone`, () => !processExists(stubborn));
  });

  test("ends what the job left running once its own process exited", async () => {
    const pidFile = join(dir, "left.pid");
    const job = await script("job.sh", `sleep 300 &\necho $! > ${pidFile}\necho done`);

    await expect(run([job])).resolves.toEqual({ summary: "done" });

    const left = Number(await readFile(pidFile, "utf8"));
    await eventually(`left-behind ${left} is gone`, () => !processExists(left));
  });

  test("starts nothing when the signal has already aborted", async () => {
    const marker = join(dir, "ran");

    await expect(run(["touch", marker], { signal: AbortSignal.abort(stopped) })).rejects.toBe(
      stopped,
    );
    await expect(stat(marker)).rejects.toThrow(/ENOENT/);
  });
});
