import { composeEnvironment, describe, expect, test } from "@textops/testing";
import { ENV_VARIABLES } from "./config.js";

describe("docker-compose.yml and config.ts", () => {
  test("compose sets only variables the worker reads, and the connections it needs", () => {
    const set = composeEnvironment("worker").filter((name) => name !== "SERVICE");

    expect(ENV_VARIABLES).toEqual(expect.arrayContaining(set));
    expect(set).toEqual(expect.arrayContaining(["AMQP_URL", "MONGO_URL", "MONGO_DB"]));
  });
});
