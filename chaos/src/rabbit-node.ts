import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { portOpen } from "./cluster.js";
import { until } from "./wait.js";

const exec = promisify(execFile);

export interface RabbitNodeOptions {
  /** Everything the node writes (data, logs, cookie, config) goes under here. */
  dir: string;
  nodeName: string;
  amqpPort: number;
  managementPort: number;
  distPort: number;
  epmdPort: number;
}

/**
 * Debian's /usr/sbin/rabbitmq-* are wrappers that switch to the rabbitmq user
 * and its cookie; the scripts they wrap run as whoever calls them.
 */
function script(name: string): string {
  const debian = `/usr/lib/rabbitmq/bin/${name}`;
  return existsSync(debian) ? debian : name;
}

/**
 * A RabbitMQ node of chaos's own, run as a plain process on 127.0.0.1 with
 * its own name, ports, Erlang cookie, port mapper, data and logs, so that
 * stopping it touches no other broker on the machine.
 */
export class RabbitNode {
  readonly amqpUrl: string;
  readonly managementUrl: string;
  private server: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly options: RabbitNodeOptions) {
    this.amqpUrl = `amqp://guest:guest@127.0.0.1:${options.amqpPort}`;
    this.managementUrl = `http://127.0.0.1:${options.managementPort}/api`;
  }

  private get env(): NodeJS.ProcessEnv {
    const { dir, nodeName, amqpPort, distPort, epmdPort } = this.options;
    return {
      ...process.env,
      HOME: join(dir, "home"), // the Erlang cookie of this node and of rabbitmqctl
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: "127.0.0.1",
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
      RABBITMQ_LOG_BASE: join(dir, "log"),
      RABBITMQ_PID_FILE: join(dir, "rabbitmq.pid"),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, "enabled_plugins"),
      RABBITMQ_CONFIG_FILE: join(dir, "rabbitmq.conf"),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, "advanced.config"),
      RABBITMQ_CONF_ENV_FILE: join(dir, "rabbitmq-env.conf"),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
    };
  }

  /** rabbitmqctl against this node only. */
  async ctl(...args: string[]): Promise<void> {
    await exec(script("rabbitmqctl"), ["-q", "-n", this.options.nodeName, ...args], {
      env: this.env,
      timeout: 120_000,
    });
  }

  async start(): Promise<void> {
    const { dir, amqpPort, managementPort, distPort } = this.options;
    // A node left behind by a run that was killed answers to our cookie: stop it.
    if (existsSync(join(dir, "home"))) await this.ctl("stop").catch(() => undefined);
    for (const port of [amqpPort, managementPort, distPort]) {
      if (await portOpen(port))
        throw new Error(`port ${port} is taken; is another chaos run going?`);
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "home"), { recursive: true });
    writeFileSync(join(dir, "enabled_plugins"), "[rabbitmq_management].\n");
    writeFileSync(
      join(dir, "rabbitmq.conf"),
      [
        `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
        `management.tcp.ip = 127.0.0.1`,
        `management.tcp.port = ${managementPort}`,
        "",
      ].join("\n"),
    );
    const server = spawn(script("rabbitmq-server"), [], {
      cwd: dir,
      env: this.env,
      detached: true, // its own process group: a Ctrl-C reaches it only through stop()
      stdio: "ignore",
    });
    this.server = server;
    let failure = "exited";
    this.exited = new Promise((resolve) => {
      server.once("exit", () => resolve());
      server.once("error", (error) => {
        failure = `could not start (${error.message}; is rabbitmq-server installed? scripts/services.sh up installs it)`;
        resolve();
      });
    });
    const died = this.exited.then(() => {
      throw new Error(`the chaos RabbitMQ node ${failure}; see ${join(dir, "log")}`);
    });
    const ready = async () => {
      await until("the chaos RabbitMQ node to listen", () => portOpen(amqpPort), 120_000, 250);
      await this.ctl("await_startup", "--timeout", "120");
      await until("its management API", () => this.managementAnswers(), 60_000, 250);
    };
    await Promise.race([ready(), died]);
  }

  private async managementAnswers(): Promise<true | undefined> {
    const auth = `Basic ${Buffer.from("guest:guest").toString("base64")}`;
    const response = await fetch(`${this.managementUrl}/overview`, {
      headers: { authorization: auth },
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok ? true : undefined;
  }

  /** Stops and starts the RabbitMQ application; the Erlang node stays up. */
  async stopApp(): Promise<void> {
    await this.ctl("stop_app");
  }

  async startApp(): Promise<void> {
    await this.ctl("start_app");
    await this.ctl("await_startup", "--timeout", "120");
  }

  /** Stops the node (SIGTERM is a clean shutdown), then its port mapper. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      const pid = server.pid;
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, "SIGKILL"); // the whole group: the script and the Erlang VM
        } catch {
          // gone in the meantime
        }
      }, 60_000);
      await this.exited;
      clearTimeout(timer);
    }
    this.server = undefined;
    // Its port mapper listens on a port of chaos's own: stopped once it lists
    // no node (ours deregisters as it exits; epmd refuses to stop before).
    const short = this.options.nodeName.split("@")[0] ?? "";
    const names = await until(
      "the port mapper to forget the node",
      () =>
        this.epmdNames().then((listed) => (listed.includes(`name ${short} `) ? undefined : listed)),
      15_000,
      100,
    ).catch(() => undefined);
    if (names !== undefined && names !== "" && !names.includes("name ")) {
      await exec("epmd", ["-kill"], { env: this.env }).catch(() => undefined);
    }
  }

  /** What the port mapper lists ("" once it is gone). */
  private async epmdNames(): Promise<string> {
    try {
      return (await exec("epmd", ["-names"], { env: this.env })).stdout;
    } catch {
      return "";
    }
  }
}
