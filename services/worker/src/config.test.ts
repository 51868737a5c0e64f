import { ConfigError } from "@textops/runtime";
import { describe, expect, test } from "vitest";
import { loadConfig } from "./config.js";

const SECRET = "a-dispatch-secret-for-tests";

describe(loadConfig.name, () => {
  test("an empty environment gives the documented defaults", () => {
    const config = loadConfig({ DISPATCH_SECRET: SECRET });

    expect(config).toMatchObject({
      amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
      concurrency: 1,
      pools: ["default"],
      executorKinds: new Set(["builtin", "http"]),
      killGraceSeconds: 10,
      heartbeatSeconds: 5,
      shutdownGraceSeconds: 30,
      demoDelayMs: 1000,
      logLevel: "info",
    });
    expect(config.workerId).toMatch(new RegExp(`-${process.pid}$`));
  });

  test("values are read and converted, fractional seconds included", () => {
    const config = loadConfig({
      AMQP_URL: "amqps://user:secret@rabbit.example:5671/prod",
      MONGO_URL: "mongodb://mongo.example:27017",
      MONGO_DB: "textops_prod",
      WORKER_ID: "worker-a",
      WORKER_CONCURRENCY: "4",
      HEARTBEAT_SECONDS: "0.2",
      SHUTDOWN_GRACE_SECONDS: "2.5",
      DEMO_DELAY_MS: "10",
      WORKER_POOLS: " deployers , default",
      WORKER_EXECUTORS: "shell,builtin",
      KILL_GRACE_SECONDS: "3",
      DISPATCH_SECRET: SECRET,
      LOG_LEVEL: "debug",
    });

    expect(config).toEqual({
      amqpUrl: "amqps://user:secret@rabbit.example:5671/prod",
      mongoUrl: "mongodb://mongo.example:27017",
      mongoDb: "textops_prod",
      workerId: "worker-a",
      concurrency: 4,
      heartbeatSeconds: 0.2,
      shutdownGraceSeconds: 2.5,
      demoDelayMs: 10,
      pools: ["deployers", "default"],
      executorKinds: new Set(["shell", "builtin"]),
      killGraceSeconds: 3,
      dispatchSecret: SECRET,
      logLevel: "debug",
    });
  });

  test("an empty variable counts as unset", () => {
    expect(
      loadConfig({ WORKER_CONCURRENCY: "", LOG_LEVEL: "", DISPATCH_SECRET: SECRET }),
    ).toMatchObject({
      concurrency: 1,
      logLevel: "info",
    });
  });

  test.each([
    ["WORKER_CONCURRENCY", "many"],
    ["WORKER_CONCURRENCY", "0"],
    ["WORKER_CONCURRENCY", "1.5"],
    ["HEARTBEAT_SECONDS", "0"],
    ["SHUTDOWN_GRACE_SECONDS", "-1"],
    ["DEMO_DELAY_MS", "soon"],
    ["LOG_LEVEL", "loud"],
    ["AMQP_URL", "http://127.0.0.1:5672"],
    ["WORKER_POOLS", "Deployers"],
    ["WORKER_POOLS", " , "],
    ["WORKER_EXECUTORS", "shell,docker"],
    ["KILL_GRACE_SECONDS", "-1"],
  ])("a bad %s (%s) stops start-up with an error naming it", (name, value) => {
    const load = () => loadConfig({ DISPATCH_SECRET: SECRET, [name]: value });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^invalid configuration: ${name}: .*\\(got "${value}"\\)`));
  });

  test("without DISPATCH_SECRET it does not start, and a short one is refused unshown", () => {
    expect(() => loadConfig({})).toThrow(/^invalid configuration: DISPATCH_SECRET: is not set/);
    expect(() => loadConfig({ DISPATCH_SECRET: "hunter2" })).toThrow(/at least 16 characters/);
    expect(() => loadConfig({ DISPATCH_SECRET: "hunter2" })).not.toThrow(/hunter2/);
  });

  test.each([
    ["AMQP_URL", "http://user:hunter2@127.0.0.1:5672", '(got "http://user:***@127.0.0.1:5672")'],
    ["AMQP_URL", "user:hunter2@127.0.0.1:5672", "AMQP_URL: "],
    ["MONGO_URL", "postgres://user:hunter2@db.example", '(got "postgres://user:***@db.example")'],
    ["MONGO_URL", "hunter2", "MONGO_URL: "],
  ])("a bad %s (%s) never shows its password", (name, value, shown) => {
    const load = () => loadConfig({ DISPATCH_SECRET: SECRET, [name]: value });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(shown);
    expect(load).not.toThrow(/hunter2/);
  });
});
