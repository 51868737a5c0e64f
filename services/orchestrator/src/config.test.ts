import { ConfigError } from "@textops/runtime";
import { describe, expect, test } from "vitest";
import { loadConfig } from "./config.js";

const SECRET = "a-dispatch-secret-for-tests";

describe(loadConfig.name, () => {
  test("defaults suit the local servers of scripts/services.sh", () => {
    const config = loadConfig({ DISPATCH_SECRET: SECRET });

    expect(config).toEqual({
      amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
      mongoUrl: "mongodb://127.0.0.1:27017/?retryWrites=false",
      mongoDb: "textops",
      logLevel: "info",
      orchestratorId: expect.stringMatching(new RegExp(`-${process.pid}$`)) as unknown,
      prefetch: 100,
      approvalTtlSeconds: 86400,
      sweepIntervalSeconds: 5,
      outboxRepublishAgeSeconds: 5,
      dispatchWaitNoticeSeconds: 60,
      dispatchSecret: SECRET,
      jobsFile: "config/jobs.yaml",
    });
  });

  test("values are read and converted", () => {
    const config = loadConfig({
      AMQP_URL: "amqps://user:secret@rabbit.example:5671/prod",
      MONGO_URL: "mongodb://mongo.example:27017",
      MONGO_DB: "textops_prod",
      ORCHESTRATOR_ID: "orchestrator-a",
      PREFETCH: "20",
      APPROVAL_TTL_SECONDS: "600",
      SWEEP_INTERVAL_SECONDS: "0.5",
      OUTBOX_REPUBLISH_AGE_SECONDS: "0",
      DISPATCH_WAIT_NOTICE_SECONDS: "90",
      JOBS_FILE: "/etc/textops/jobs.yaml",
      DISPATCH_SECRET: SECRET,
      LOG_LEVEL: "debug",
    });

    expect(config).toEqual({
      amqpUrl: "amqps://user:secret@rabbit.example:5671/prod",
      mongoUrl: "mongodb://mongo.example:27017",
      mongoDb: "textops_prod",
      logLevel: "debug",
      orchestratorId: "orchestrator-a",
      prefetch: 20,
      approvalTtlSeconds: 600,
      sweepIntervalSeconds: 0.5,
      outboxRepublishAgeSeconds: 0,
      dispatchWaitNoticeSeconds: 90,
      dispatchSecret: SECRET,
      jobsFile: "/etc/textops/jobs.yaml",
    });
  });

  test("an empty variable counts as unset", () => {
    expect(loadConfig({ PREFETCH: "", MONGO_DB: "", DISPATCH_SECRET: SECRET })).toMatchObject({
      prefetch: 100,
      mongoDb: "textops",
    });
  });

  test.each([
    ["AMQP_URL", "nonsense"],
    ["MONGO_URL", "postgres://db"],
    ["PREFETCH", "0"],
    ["APPROVAL_TTL_SECONDS", "soon"],
    ["SWEEP_INTERVAL_SECONDS", "0"],
    ["DISPATCH_WAIT_NOTICE_SECONDS", "0"],
    ["LOG_LEVEL", "loud"],
  ])("a bad %s stops start-up with a message naming it", (name, value) => {
    const load = () => loadConfig({ DISPATCH_SECRET: SECRET, [name]: value });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^invalid configuration: ${name}:`));
  });

  test("without DISPATCH_SECRET it does not start, and says why", () => {
    expect(() => loadConfig({})).toThrow(
      /^invalid configuration: DISPATCH_SECRET: is not set; give the orchestrator and every worker the same secret/,
    );
  });

  test("a short DISPATCH_SECRET is refused without being shown", () => {
    expect(() => loadConfig({ DISPATCH_SECRET: "hunter2" })).toThrow(/at least 16 characters/);
    expect(() => loadConfig({ DISPATCH_SECRET: "hunter2" })).not.toThrow(/hunter2/);
  });

  test.each([
    ["AMQP_URL", "http://user:hunter2@rabbit.example"],
    ["MONGO_URL", "user:hunter2@db.example"],
  ])("a bad %s never shows its password", (name, value) => {
    const load = () => loadConfig({ DISPATCH_SECRET: SECRET, [name]: value });
    expect(load).toThrow(new RegExp(`^invalid configuration: ${name}:`));
    expect(load).not.toThrow(/hunter2/);
  });
});
