import { connect, createServer, type AddressInfo, type Socket } from "node:net";

/**
 * A TCP proxy in front of the real database that can be cut (every
 * connection dropped, new ones refused, as when the database goes away) and
 * restored: a real outage for the client, with the server left running.
 */
export async function startMongoProxy(realUrl: string) {
  const real = new URL(realUrl);
  const sockets = new Set<Socket>();
  let cut = false;
  const proxy = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(real.port), real.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(realUrl);
  url.port = String((proxy.address() as AddressInfo).port);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: url.toString(),
    cut() {
      cut = true;
      dropAll();
    },
    restore() {
      cut = false;
    },
    close() {
      dropAll();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
