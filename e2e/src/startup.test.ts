import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, vi } from "@textops/testing";
import { test } from "./fixtures.js";
import {
  freePort,
  startService,
  terminate,
  waitForOutput,
  type ServiceName,
  type ServiceProcess,
} from "./system.js";

/**
 * A port that refuses connections until `open()`, then forwards them to the
 * real server: a server that comes up after the service that needs it.
 */
async function lateServer(realUrl: string) {
  const real = new URL(realUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const proxy = createServer((client) => {
    const upstream = connect(Number(real.port), real.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  const url = new URL(realUrl);
  url.port = String(port);
  return {
    url: url.toString(),
    port,
    open: () => new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve)),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

type LateServer = Awaited<ReturnType<typeof lateServer>>;

/** `test` with services to start and servers that come late, all stopped after the test. */
const startupTest = test.extend<{
  service: (name: ServiceName, env: Record<string, string>) => ServiceProcess;
  late: (realUrl: string) => Promise<LateServer>;
}>({
  // eslint-disable-next-line no-empty-pattern
  service: async ({}, use) => {
    const started: ServiceProcess[] = [];
    await use((name, env) => {
      const service = startService(name, { LOG_LEVEL: "info", ...env });
      started.push(service);
      return service;
    });
    await Promise.all(started.map((service) => terminate(service)));
  },
  // eslint-disable-next-line no-empty-pattern
  late: async ({}, use) => {
    const servers: LateServer[] = [];
    await use(async (realUrl) => {
      const server = await lateServer(realUrl);
      servers.push(server);
      return server;
    });
    await Promise.all(servers.map((server) => server.close()));
  },
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The n-th log line matching `pattern` shows up: the service retried n times, still alive. */
async function retries(service: ServiceProcess, pattern: RegExp, n: number) {
  await vi.waitFor(
    () => {
      const seen = service.output.join("").match(new RegExp(pattern, "g")) ?? [];
      if (service.child.exitCode !== null) throw new Error(`${service.name} exited`);
      if (seen.length < n) throw new Error(`${seen.length} of ${n} retries logged`);
    },
    { timeout: 20_000, interval: 50 },
  );
}

describe("start-up", () => {
  startupTest(
    "the orchestrator waits for MongoDB, saying where, and starts once it answers",
    async ({ rabbit, mongo, service, late }) => {
      const mongoServer = await late(inject("mongoUrl"));
      const orchestrator = service("orchestrator", {
        AMQP_URL: rabbit.url,
        MONGO_URL: mongoServer.url,
        MONGO_DB: mongo.dbName,
      });

      const waiting = new RegExp(
        `"msg":"waiting for MongoDB at ${escape(mongoServer.url)}; retrying"`,
      );
      await retries(orchestrator, waiting, 2);
      await mongoServer.open();

      await waitForOutput(orchestrator, /"msg":"orchestrator started/, 20_000);
      expect(orchestrator.output.join("")).toMatch(/"msg":"MongoDB at .* is available"/);
      expect(await terminate(orchestrator)).toEqual({ code: 0, signal: null });
    },
  );

  startupTest(
    "ingress waits for RabbitMQ, saying where without the password, and gets ready once it answers",
    async ({ rabbit, mongo, service, late }) => {
      const broker = await late(rabbit.url);
      const port = await freePort();
      const ingress = service("ingress", {
        AMQP_URL: broker.url,
        MONGO_URL: mongo.url,
        MONGO_DB: mongo.dbName,
        PORT: String(port),
      });

      const shown = broker.url.replace(":guest@", ":***@");
      await waitForOutput(ingress, new RegExp(`"msg":"waiting for RabbitMQ at ${escape(shown)}"`));
      await retries(ingress, /"msg":"cannot reach RabbitMQ; retrying"/, 2);
      await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
      await broker.open();

      await vi.waitFor(
        async () => expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200),
        { timeout: 20_000, interval: 100 },
      );
      expect(ingress.output.join("")).not.toContain(":guest@");
      expect(await terminate(ingress)).toEqual({ code: 0, signal: null });
    },
  );

  startupTest(
    "a worker waiting for RabbitMQ stops at once and cleanly on SIGTERM",
    async ({ mongo, service, late }) => {
      const broker = await late(inject("amqpUrl"));
      const worker = service("worker", {
        AMQP_URL: broker.url,
        MONGO_URL: mongo.url,
        MONGO_DB: mongo.dbName,
        WORKER_ID: "waiting-worker",
      });

      await retries(worker, /"msg":"cannot reach RabbitMQ; retrying"/, 2);
      const exit = await terminate(worker);

      expect(exit).toEqual({ code: 0, signal: null });
      expect(worker.output.join("")).toMatch(/"msg":"waiting for RabbitMQ at amqp:/);
      expect(worker.output.join("")).toMatch(/"msg":"stopped before start-up finished"/);
    },
  );
});

describe("configuration errors", () => {
  test.for([
    ["ingress", "PORT", "abc"],
    ["ingress", "REPLY_TIMEOUT_MS", "0"],
    ["orchestrator", "PREFETCH", "0"],
    ["orchestrator", "LOG_LEVEL", "loud"],
    ["worker", "WORKER_CONCURRENCY", "-1"],
    ["worker", "HEARTBEAT_SECONDS", "soon"],
  ] as const)(
    "%s with %s=%s exits 1 at once with one line naming the variable",
    async ([name, variable, value]) => {
      const started = Date.now();
      // A closed broker port: were the value accepted, the service would wait, not exit.
      const service = startService(name, {
        [variable]: value,
        AMQP_URL: `amqp://guest:guest@127.0.0.1:${await freePort()}`,
      });
      const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);

      const exit = await service.exited.finally(() => clearTimeout(timer));

      expect(exit).toEqual({ code: 1, signal: null });
      expect(Date.now() - started).toBeLessThan(5_000);
      const lines = service.output.join("").trimEnd().split("\n");
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^${name}: invalid configuration: ${variable}: .+`)),
      ]);
    },
  );

  test.for(["ingress", "orchestrator", "worker"] as const)(
    "%s with a bad AMQP_URL holding a password exits 1, naming it without the password",
    async (name) => {
      const service = startService(name, { AMQP_URL: "http://admin:hunter2@127.0.0.1:5672" });
      const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);

      const exit = await service.exited.finally(() => clearTimeout(timer));

      expect(exit).toEqual({ code: 1, signal: null });
      const output = service.output.join("");
      expect(output).toMatch(new RegExp(`^${name}: invalid configuration: AMQP_URL: .+`));
      expect(output).toContain('(got "http://admin:***@127.0.0.1:5672")');
      expect(output).not.toContain("hunter2");
    },
  );

  test.for(["orchestrator", "worker"] as const)(
    "%s without DISPATCH_SECRET exits 1 at once, saying it must be shared",
    async (name) => {
      const service = startService(name, {
        DISPATCH_SECRET: "",
        AMQP_URL: `amqp://guest:guest@127.0.0.1:${await freePort()}`,
      });
      const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);

      const exit = await service.exited.finally(() => clearTimeout(timer));

      expect(exit).toEqual({ code: 1, signal: null });
      expect(service.output.join("").trimEnd().split("\n")).toEqual([
        `${name}: invalid configuration: DISPATCH_SECRET: is not set; give the orchestrator and every worker the same secret`,
      ]);
    },
  );

  test("the orchestrator with a broken JOBS_FILE exits 1, naming the file, the job and the field", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "jobs-")), "jobs.yaml");
    writeFileSync(
      file,
      "jobs:\n  deploy:\n    description: Deploy\n    executor: { kind: docker }\n",
    );
    const service = startService("orchestrator", {
      JOBS_FILE: file,
      AMQP_URL: `amqp://guest:guest@127.0.0.1:${await freePort()}`,
    });
    const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);

    const exit = await service.exited.finally(() => clearTimeout(timer));

    expect(exit).toEqual({ code: 1, signal: null });
    expect(service.output.join("").trimEnd().split("\n")).toEqual([
      "orchestrator: invalid job catalog (JOBS_FILE), 1 error(s):",
      `  ${file}: job "deploy", field "executor.kind": kind must be one of shell, http, builtin`,
    ]);
  });
});
