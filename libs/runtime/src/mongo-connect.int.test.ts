import { createRequire } from "node:module";
import type * as net from "node:net";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { describe, expect, test } from "@textops/testing";
import { connectMongo, isDatabaseUnavailable } from "./mongo-connect.js";

/** The `net` module as the driver (CommonJS) sees it. */
const driverNet = createRequire(import.meta.url)("net") as typeof net;

/**
 * Forwards connections to the real server until `silence()`: from then on
 * nothing gets through in either direction and nothing is closed, like a
 * database host that froze or a write that never completes.
 */
async function freezingProxy(realUrl: string) {
  const real = new URL(realUrl);
  const sockets = new Set<Socket>();
  let silent = false;
  const forward = (from: Socket, to: Socket) =>
    from.on("data", (chunk: Buffer) => {
      if (!silent) to.write(chunk);
    });
  const proxy = createServer((client) => {
    const upstream = connect(Number(real.port), real.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(realUrl);
  url.port = String((proxy.address() as AddressInfo).port);
  return {
    url: url.toString(),
    silence: () => (silent = true),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe(connectMongo.name, () => {
  test("an operation the database never answers fails within the answer timeout, as an outage", async ({
    mongo,
    log,
  }) => {
    const proxy = await freezingProxy(mongo.url);
    const client = await connectMongo(proxy.url, log, new AbortController().signal, {
      answerTimeoutMs: 500,
    });
    try {
      const runs = client.db(mongo.dbName).collection("runs");
      await runs.insertOne({ runId: "K7Q2MX" });

      proxy.silence();
      const started = Date.now();
      const failure = await runs.insertOne({ runId: "P4ZR9T" }).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(isDatabaseUnavailable(failure)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  // The driver (7.9) waited for a 'drain' that a socket destroyed before its 'close' event never emits;
  // patches/mongodb+7.9.0.patch makes such a write fail at once.
  test("a write on a connection the server has just closed fails as an outage instead of waiting for ever", async ({
    mongo,
    log,
  }) => {
    const sockets: Socket[] = [];
    const createConnection = driverNet.createConnection;
    driverNet.createConnection = ((...args: Parameters<typeof createConnection>) => {
      const socket = createConnection(...args);
      sockets.push(socket);
      return socket;
    }) as typeof createConnection;
    const client = await connectMongo(mongo.url, log, new AbortController().signal);
    try {
      const runs = client.db(mongo.dbName).collection("runs");
      await runs.insertOne({ runId: "K7Q2MX" });

      // Closed as a dying server closes them; their 'close' events come a moment later.
      for (const socket of sockets) socket.destroy();
      const failure = await runs.insertOne({ runId: "P4ZR9T" }).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(isDatabaseUnavailable(failure)).toBe(true);
    } finally {
      driverNet.createConnection = createConnection;
      await client.close();
    }
  });
});
