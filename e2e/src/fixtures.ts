import { test as base } from "@textops/testing";
import { startSystem, type System, type SystemOptions } from "./system.js";

type StartSystem = (
  options?: Partial<Pick<SystemOptions, "workers" | "deployers" | "jobsFile">>,
) => Promise<System>;

/** The shared fixtures plus a system starter whose processes stop before the vhost goes. */
export const test = base.extend<{ startSystem: StartSystem }>({
  startSystem: async ({ rabbit, mongo }, use) => {
    const started: System[] = [];
    await use(async (options = {}) => {
      const system = await startSystem({
        amqpUrl: rabbit.url,
        mongoUrl: mongo.url,
        mongoDb: mongo.dbName,
        workers: options.workers ?? 2,
        ...(options.deployers === undefined ? {} : { deployers: options.deployers }),
        ...(options.jobsFile === undefined ? {} : { jobsFile: options.jobsFile }),
      });
      started.push(system);
      return system;
    });
    await Promise.all(started.map((system) => system.stop()));
  },
});
