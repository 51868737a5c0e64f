import { describe, expect, test } from "vitest";
import { z } from "zod";
import { ConfigError, instanceId, readEnv, secret, SERVICE_ENV, serviceConfig } from "./env.js";

const SHAPE = {
  ...SERVICE_ENV,
  PREFETCH: z.coerce.number().int().min(1).default(100),
  API_TOKEN: secret(z.string().min(20).optional()),
};

/** The error message readEnv throws for this environment. */
function errorFor(env: Record<string, string>): string {
  try {
    readEnv(SHAPE, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("no ConfigError");
}

describe(readEnv.name, () => {
  test("an empty environment gives the defaults every service shares", () => {
    expect(serviceConfig(readEnv(SERVICE_ENV, {}))).toEqual({
      amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
      mongoUrl: "mongodb://127.0.0.1:27017/?retryWrites=false",
      mongoDb: "textops",
      logLevel: "info",
    });
  });

  test("an empty variable counts as unset", () => {
    expect(readEnv(SHAPE, { AMQP_URL: "", PREFETCH: "", API_TOKEN: "" })).toMatchObject({
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      PREFETCH: 100,
      API_TOKEN: undefined,
    });
  });

  test("variables it does not know are left alone", () => {
    expect(readEnv({ PREFETCH: SHAPE.PREFETCH }, { PREFETCH: "5", HOME: "/root" })).toEqual({
      PREFETCH: 5,
    });
  });

  test("every bad variable is named, with the value it got", () => {
    expect(() => readEnv(SHAPE, { PREFETCH: "0" })).toThrow(ConfigError);
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
    expect(readEnv({ ID: instanceId() }, {}).ID).toMatch(new RegExp(`-${process.pid}$`));
    expect(readEnv({ ID: instanceId() }, { ID: "worker-a" }).ID).toBe("worker-a");
  });
});
