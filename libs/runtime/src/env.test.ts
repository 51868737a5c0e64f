import { describe, expect, test } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  configLoader,
  instanceId,
  secretVariable,
  SERVICE_VARIABLES,
  variable,
} from "./env.js";

const loadConfig = configLoader({
  ...SERVICE_VARIABLES,
  prefetch: variable("PREFETCH", z.coerce.number().int().min(1).default(100)),
  apiToken: secretVariable("API_TOKEN", z.string().min(20).optional()),
});

/** The error message loadConfig throws for this environment. */
function errorFor(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("no ConfigError");
}

describe(configLoader.name, () => {
  test("an empty environment gives the defaults every service shares", () => {
    expect(loadConfig({})).toEqual({
      amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
      mongoUrl: "mongodb://127.0.0.1:27017/?retryWrites=false",
      mongoDb: "textops",
      logLevel: "info",
      prefetch: 100,
      apiToken: undefined,
    });
  });

  test("an empty variable counts as unset", () => {
    expect(loadConfig({ AMQP_URL: "", PREFETCH: "", API_TOKEN: "" })).toMatchObject({
      amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
      prefetch: 100,
      apiToken: undefined,
    });
  });

  test("reads only its own variables, and names them", () => {
    expect(loadConfig({ PREFETCH: "5", HOME: "/root" })).toMatchObject({ prefetch: 5 });
    expect(loadConfig.name).toBe("loadConfig");
    expect(loadConfig.variables).toEqual([
      "AMQP_URL",
      "MONGO_URL",
      "MONGO_DB",
      "LOG_LEVEL",
      "PREFETCH",
      "API_TOKEN",
    ]);
  });

  test("every bad variable is named, with the value it got", () => {
    expect(() => loadConfig({ PREFETCH: "0" })).toThrow(ConfigError);
    expect(errorFor({ PREFETCH: "0", LOG_LEVEL: "loud", MONGO_DB: "a/b" })).toMatch(
      /^invalid configuration: MONGO_DB: expected a database name \(got "a\/b"\); LOG_LEVEL: .+ \(got "loud"\); PREFETCH: .+ \(got "0"\)$/,
    );
  });

  test.each([
    ["AMQP_URL", "http://user:hunter2@127.0.0.1:5672", "http://user:***@127.0.0.1:5672"],
    ["AMQP_URL", "amqp://user:hunter2@rabbit:notaport", "amqp://user:***@rabbit:notaport"],
    ["MONGO_URL", "postgres://user:hunter2@db.example", "postgres://user:***@db.example"],
    ["MONGO_URL", "mongodb://user:hun ter2@db.example", "mongodb://user:***@db.example"],
  ])("a bad %s with a password is shown masked: %s", (name, value, shown) => {
    const message = errorFor({ [name]: value });

    expect(message).toMatch(new RegExp(`^invalid configuration: ${name}: `));
    expect(message).toContain(`(got "${shown}")`);
    expect(message).not.toMatch(/hunter2|hun ter2|ter2/);
  });

  test.each([
    ["AMQP_URL", "user:hunter2@rabbit:5672"],
    ["MONGO_URL", "hunter2"],
    ["API_TOKEN", "hunter2"],
  ])("a bad %s that is no URL is named without its value", (name, value) => {
    const message = errorFor({ [name]: value });

    expect(message).toMatch(new RegExp(`^invalid configuration: ${name}: `));
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("(got");
  });

  test("credentials in a value that is not secret are masked too", () => {
    expect(errorFor({ LOG_LEVEL: "amqp://user:hunter2@rabbit" })).toContain(
      '(got "amqp://user:***@rabbit")',
    );
  });
});

describe(instanceId.name, () => {
  test("defaults to the host's name and the process id", () => {
    const load = configLoader({ id: variable("ID", instanceId()) });

    expect(load({}).id).toMatch(new RegExp(`-${process.pid}$`));
    expect(load({ ID: "worker-a" }).id).toBe("worker-a");
  });
});
