import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@textops/testing";
import { devClient } from "./http-client.js";
import { freePort, terminate, waitForOutput, type Exit, type ServiceProcess } from "./system.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ANSI = new RegExp(String.raw`\x1b\[[0-9;]*m`, "g");

/** `npm start` (scripts/start.mjs) on the test's vhost and database; its output without colours. */
function npmStart(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [`${root}scripts/start.mjs`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString().replace(ANSI, ""));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { name: "npm start", child, output, exited };
}

/** The pids the runner announced for a service, in order. */
function pidsOf(runner: ServiceProcess, service: string): number[] {
  const started = new RegExp(String.raw`^${service} +\| \[start\] started \(pid (\d+)\)`, "gm");
  return [...runner.output.join("").matchAll(started)].map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start", () => {
  test("restarts a worker killed with SIGKILL, leaves the rest running, and stops all on SIGTERM", async ({
    rabbit,
    mongo,
  }) => {
    const port = await freePort();
    const runner = npmStart({
      AMQP_URL: rabbit.url,
      MONGO_URL: mongo.url,
      MONGO_DB: mongo.dbName,
      PORT: String(port),
      WORKERS: "1",
      LOG_LEVEL: "warn",
      DEMO_DELAY_MS: "50",
    });
    let exit: Exit | undefined;
    try {
      await waitForOutput(runner, /TextOps is up/, 90_000);
      const [ingress, orchestrator] = [pidsOf(runner, "ingress"), pidsOf(runner, "orchestrator")];
      const [worker] = pidsOf(runner, "worker-1");
      expect(worker).toBeDefined();

      process.kill(worker ?? 0, "SIGKILL");

      await waitForOutput(
        runner,
        /worker-1 +\| \[start\] killed by SIGKILL after [^;]+; restarting in 500 ms \(restart 1\)[\s\S]*worker-1 +\| \[start\] started \(pid \d+\)/,
      );
      expect(pidsOf(runner, "worker-1")).toHaveLength(2);
      expect([pidsOf(runner, "ingress"), pidsOf(runner, "orchestrator")]).toEqual([
        ingress,
        orchestrator,
      ]);
      expect([...(ingress ?? []), ...(orchestrator ?? [])].every(alive)).toBe(true);

      // The one worker there is, the restarted one, runs the job.
      const client = devClient(`http://127.0.0.1:${port}`);
      const runId = (await client.send("run demo")).runId ?? "";
      await client.send(`yes ${runId}`);
      const view = await client.untilStatus(runId, "Succeeded", "Failed");
      expect(view.run.status).toBe("Succeeded");
    } finally {
      exit = await terminate(runner);
    }
    expect(exit).toEqual({ code: 0, signal: null });
    const text = runner.output.join("");
    for (const service of ["ingress", "orchestrator", "worker-1"]) {
      expect(text).toMatch(
        new RegExp(`${service} +\\| \\[start\\] stopped \\(exited with code 0\\)`),
      );
    }
    const pids = ["ingress", "orchestrator", "worker-1"].flatMap((s) => pidsOf(runner, s));
    expect(pids.filter(alive)).toEqual([]);
  });
});
