import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { createInterface } from "node:readline";
import { delay, until } from "./wait.js";

export type ServiceName = "ingress" | "orchestrator" | "worker";

interface Member {
  name: string;
  service: ServiceName;
  env: Record<string, string>;
  child: ChildProcess;
}

export interface LogLine {
  member: string;
  fields: Record<string, unknown>;
}

/**
 * The system under test as plain processes on 127.0.0.1: a FerretDB of its
 * own (so it can be stopped) and the compiled services, whose JSON log lines
 * are kept for the verifier.
 */
export class Cluster {
  readonly lines: LogLine[] = [];
  private readonly members = new Map<string, Member>();
  private ferret: ChildProcess | undefined;

  constructor(
    private readonly root: string,
    private readonly env: Record<string, string>,
    private readonly ferretDb: { binary: string; listen: string; dataDir: string; log: string },
  ) {}

  async startDatabase() {
    mkdirSync(this.ferretDb.dataDir, { recursive: true });
    const { binary, listen, dataDir, log } = this.ferretDb;
    const out = openSync(log, "a");
    this.ferret = spawn(binary, ["-listen", listen, "-data", dataDir], {
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    const port = Number(listen.split(":")[1]);
    await until("FerretDB to listen", () => portOpen(port), 30_000);
  }

  async stopDatabase() {
    const ferret = this.ferret;
    if (!ferret || ferret.exitCode !== null) return;
    const exited = new Promise((resolve) => ferret.once("exit", resolve));
    ferret.kill("SIGKILL");
    await exited;
  }

  start(name: string, service: ServiceName, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [`${this.root}services/${service}/dist/main.js`], {
      cwd: this.root,
      env: { ...process.env, ...this.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => this.keep(name, line));
    }
    this.members.set(name, { name, service, env, child });
  }

  /**
   * Kills a member outright (SIGKILL) or asks it to stop (SIGTERM), and waits
   * for it to exit; one that ignores SIGTERM for 30 s is killed, and says so.
   */
  async kill(name: string, signal: "SIGKILL" | "SIGTERM" = "SIGKILL") {
    const member = this.members.get(name);
    if (!member || member.child.exitCode !== null || member.child.signalCode !== null) return;
    const { child } = member;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    const timer = setTimeout(() => {
      console.warn(`chaos: ${name} still running 30 s after SIGTERM; sending SIGKILL`);
      child.kill("SIGKILL");
    }, 30_000);
    await exited;
    clearTimeout(timer);
  }

  restart(name: string) {
    const member = this.members.get(name);
    if (!member) throw new Error(`no member ${name}`);
    this.start(name, member.service, member.env);
  }

  pidOf(name: string) {
    return this.members.get(name)?.child.pid;
  }

  async stopAll() {
    await Promise.all([...this.members.keys()].map((name) => this.kill(name, "SIGTERM")));
    await this.stopDatabase();
  }

  private keep(member: string, line: string) {
    if (!line.startsWith("{")) {
      if (process.env.CHAOS_VERBOSE) console.log(`${member}: ${line}`);
      return;
    }
    try {
      this.lines.push({ member, fields: JSON.parse(line) as Record<string, unknown> });
    } catch {
      // a half-written line from a killed process
    }
  }
}

export async function portOpen(port: number): Promise<true | undefined> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(undefined));
  });
}

export { delay };
