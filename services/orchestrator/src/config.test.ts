import { describe, expect, test } from "vitest";
import { loadConfig } from "./config.js";

describe(loadConfig.name, () => {
  test("defaults suit the local servers of scripts/services.sh", () => {
    expect(loadConfig({})).toMatchObject({
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      MONGO_URL: "mongodb://127.0.0.1:27017/?retryWrites=false",
      MONGO_DB: "textops",
      PREFETCH: 100,
      APPROVAL_TTL_SECONDS: 86400,
    });
  });

  test.each([
    ["AMQP_URL", "nonsense"],
    ["MONGO_URL", "postgres://db"],
    ["PREFETCH", "0"],
    ["APPROVAL_TTL_SECONDS", "soon"],
    ["LOG_LEVEL", "loud"],
  ])("a bad %s stops start-up with a message naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(
      new RegExp(`invalid configuration: ${name}:`),
    );
  });
});
