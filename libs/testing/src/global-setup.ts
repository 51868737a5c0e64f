import type { TestProject } from "vitest/node";
import { startServers } from "./servers.js";

import "./provided-context.js";

/** vitest global setup: one RabbitMQ and one MongoDB-speaking server for the whole run. */
export default async function setup(project: TestProject) {
  const servers = await startServers();
  console.log(`[tests] RabbitMQ and MongoDB from ${servers.source}`);
  project.provide("amqpUrl", servers.amqpUrl);
  project.provide("mongoUrl", servers.mongoUrl);
  project.provide("rabbitManagementUrl", servers.rabbitManagementUrl);
  return async () => {
    await servers.stop();
  };
}
