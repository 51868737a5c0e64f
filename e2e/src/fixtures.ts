import { MongoClient, type Db } from "mongodb";
import { test as base, inject, rabbitAdmin, uniqueName, vhostUrl } from "@textops/testing";
import { startSystem, type System, type SystemOptions } from "./system.js";

/** What a test may choose of the system it starts; the servers are the fixtures'. */
export type SystemChoices = Partial<
  Pick<
    SystemOptions,
    | "workers"
    | "deployers"
    | "jobsFile"
    | "usersFile"
    | "sweepIntervalSeconds"
    | "ingressEnv"
    | "logLevel"
  >
>;

type StartSystem = (options?: SystemChoices) => Promise<System>;

function systemOptions(
  servers: Pick<SystemOptions, "amqpUrl" | "mongoUrl" | "mongoDb">,
  { workers = 2, ...choices }: SystemChoices,
): SystemOptions {
  return { ...servers, workers, ...choices };
}

/** The shared fixtures plus a system starter whose processes stop before the vhost goes. */
export const test = base.extend<{ startSystem: StartSystem }>({
  startSystem: async ({ rabbit, mongo }, use) => {
    const started: System[] = [];
    await use(async (options = {}) => {
      const servers = { amqpUrl: rabbit.url, mongoUrl: mongo.url, mongoDb: mongo.dbName };
      const system = await startSystem(systemOptions(servers, options));
      started.push(system);
      return system;
    });
    await Promise.all(started.map((system) => system.stop()));
  },
});

/** A vhost and a database of one test file's own. */
interface FileServers {
  amqpUrl: string;
  mongoUrl: string;
  mongoDb: string;
  /** The file's database, to look at what the system stored. */
  db: Db;
}

/**
 * `test` whose tests share one system, started with these options the first
 * time a test or a `beforeAll` asks for `system`, and stopped (then its vhost
 * and database removed) after the file's last test. For files whose tests
 * keep apart by themselves (their own runs, their own conversations).
 */
export function testWithOneSystem(options: SystemChoices) {
  return (
    base
      // eslint-disable-next-line no-empty-pattern
      .extend("servers", { scope: "file" }, async ({}, { onCleanup }): Promise<FileServers> => {
        const admin = rabbitAdmin(inject("rabbitManagementUrl"));
        const vhost = uniqueName("e2e");
        await admin.createVhost(vhost);
        const mongoUrl = inject("mongoUrl");
        const mongoDb = uniqueName("e2e");
        const client = await MongoClient.connect(mongoUrl);
        onCleanup(async () => {
          await client.db(mongoDb).dropDatabase();
          await client.close();
          await admin.deleteVhost(vhost);
        });
        const amqpUrl = vhostUrl(inject("amqpUrl"), vhost);
        return { amqpUrl, mongoUrl, mongoDb, db: client.db(mongoDb) };
      })
      .extend("system", { scope: "file" }, async ({ servers }, { onCleanup }) => {
        const system = await startSystem(systemOptions(servers, options));
        onCleanup(() => system.stop());
        return system;
      })
  );
}
