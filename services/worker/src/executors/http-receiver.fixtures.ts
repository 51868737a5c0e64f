import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyHttpSignature } from "./http-signature.js";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with a request whose signature it verified. */
export type Answer = (res: ServerResponse, request: ReceivedRequest) => void;

export interface Receiver {
  url: string;
  /** Every request that reached it, verified or not. */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP job receiver on 127.0.0.1: it checks each request's signature
 * with `secret` as a receiver would (401 when it does not hold), then answers.
 */
export async function startReceiver(secret: string, answer: Answer): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const request = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: raw.toString("utf8"),
      };
      received.push(request);
      const check = verifyHttpSignature(secret, req.headers, raw, new Date());
      if (check.ok) answer(res, request);
      else res.writeHead(401).end(check.reason);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/deploy`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
