import type { Server } from "node:http";
import type { Express } from "express";
import type { Logger } from "pino";

export interface HttpServer {
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  close(): Promise<void>;
}

/** Listens on `host:port` and logs the address the operating system bound. */
export async function listen(
  app: Express,
  { port, host }: { port: number; host: string },
  log: Logger,
): Promise<HttpServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, (error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  log.info(`ingress listening on ${boundAddress(server)}`);
  return {
    close: () =>
      new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

/** The address and port the server is bound to, as the operating system reports them. */
function boundAddress(server: Server): string {
  const address = server.address();
  if (typeof address !== "object" || !address) return String(address);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `${host}:${address.port}`;
}
