import { describe, expect, test } from "@textops/testing";
import type { ServiceConfig } from "./env.js";
import { createLogger } from "./logger.js";
import { serve, type ServiceDefinition, type ServiceResources } from "./run-service.js";

const SIGTERM = new Error("SIGTERM received");

/** A logger of the service's kind that keeps the messages it logs. */
function recordingLogger() {
  const messages: string[] = [];
  const write = (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg);
  return { log: createLogger({ name: "test", level: "info", destination: { write } }), messages };
}

/** A service that says what happened to it, in order. */
function recordingService(start?: (resources: ServiceResources<ServiceConfig>) => Promise<void>) {
  const events: string[] = [];
  let started = () => {};
  const whenStarted = new Promise<void>((resolve) => (started = resolve));
  const service: ServiceDefinition<ServiceConfig> = {
    name: "test-service",
    loadConfig: () => {
      throw new Error("serve takes the configuration as given");
    },
    async start(resources) {
      const { connection, db, onClose } = resources;
      events.push(`start: ${db.databaseName}, broker connected ${connection.isConnected()}`);
      onClose(() => {
        events.push(`close: broker connected ${connection.isConnected()}`);
        return Promise.resolve();
      });
      await start?.(resources);
      started();
      return {
        stop: () => {
          events.push("stop");
          return Promise.resolve();
        },
      };
    },
  };
  return { service, events, whenStarted };
}

describe(serve.name, () => {
  test("starts the service on its connections; on the signal stops it, then closes them", async ({
    rabbit,
    mongo,
  }) => {
    const { log, messages } = recordingLogger();
    const { service, events, whenStarted } = recordingService();
    const config = { amqpUrl: rabbit.url, mongoUrl: mongo.url, mongoDb: mongo.dbName };
    const stopping = new AbortController();

    const serving = serve(service, {
      config: { ...config, logLevel: "info" },
      log,
      signal: stopping.signal,
    });
    await whenStarted;
    stopping.abort(SIGTERM);
    await serving;

    expect(events).toEqual([
      `start: ${mongo.dbName}, broker connected true`,
      "stop",
      "close: broker connected true",
    ]);
    expect(messages.slice(-2)).toEqual(["shutting down", "stopped"]);
  });

  test("a signal while RabbitMQ is not there ends start-up cleanly; the service never starts", async ({
    mongo,
  }) => {
    const { log, messages } = recordingLogger();
    const { service, events } = recordingService();
    const amqpUrl = "amqp://guest:hunter2@127.0.0.1:1";

    const serving = serve(service, {
      config: { amqpUrl, mongoUrl: mongo.url, mongoDb: mongo.dbName, logLevel: "info" },
      log,
      signal: AbortSignal.timeout(300),
    });

    await expect(serving).resolves.toBeUndefined();
    expect(events).toEqual([]);
    expect(messages).toContain("waiting for RabbitMQ at amqp://guest:***@127.0.0.1:1");
    expect(messages.at(-1)).toBe("stopped before start-up finished");
    expect(messages.join("\n")).not.toContain("hunter2");
  });

  test("a service that fails to start fails the whole, its closers run all the same", async ({
    rabbit,
    mongo,
  }) => {
    const { log } = recordingLogger();
    const { service, events } = recordingService(() => Promise.reject(new Error("no jobs file")));

    const serving = serve(service, {
      config: { amqpUrl: rabbit.url, mongoUrl: mongo.url, mongoDb: mongo.dbName, logLevel: "info" },
      log,
      signal: new AbortController().signal,
    });

    await expect(serving).rejects.toThrow("no jobs file");
    expect(events).toEqual([
      `start: ${mongo.dbName}, broker connected true`,
      "close: broker connected true",
    ]);
  });
});
