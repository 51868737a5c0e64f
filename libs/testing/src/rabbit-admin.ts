import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";

/** The few RabbitMQ management API calls tests and the bench need, over fetch. */
export interface QueueInfo {
  name: string;
  messages: number;
  messages_ready: number;
  messages_unacknowledged: number;
  consumers: number;
  single_active_consumer_tag?: string;
}

/** What GET /api/overview says about the broker (the part that is read). */
export const BrokerOverview = z.object({ rabbitmq_version: z.string().optional() });
export type BrokerOverview = z.infer<typeof BrokerOverview>;

export interface RabbitAdmin {
  /** Creates the vhost and gives the API's user every permission on it. */
  createVhost(vhost: string): Promise<void>;
  deleteVhost(vhost: string): Promise<void>;
  queue(vhost: string, queue: string): Promise<QueueInfo>;
  overview(): Promise<BrokerOverview>;
  /**
   * Closes every client connection to the vhost from the server side. The
   * management API lists connections only once its statistics have caught up,
   * so this waits until at least one is listed.
   */
  closeConnections(vhost: string): Promise<number>;
}

const ConnectionList = z.array(z.object({ name: z.string() }));

/**
 * A client of the management API at `managementUrl` (credentials in the URL):
 * `http://guest:guest@host:15672`, or with the API's path, `…:15672/api`.
 * Imports nothing from vitest, so scripts outside the test runner can use it.
 */
export function rabbitAdmin(managementUrl: string): RabbitAdmin {
  const base = new URL(managementUrl);
  const user = decodeURIComponent(base.username);
  const auth = `Basic ${Buffer.from(`${user}:${decodeURIComponent(base.password)}`).toString("base64")}`;
  const path = base.pathname.replace(/\/$/, "") || "/api";
  const api = `${base.protocol}//${base.host}${path}`;

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      signal: AbortSignal.timeout(15_000),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(
        `RabbitMQ API ${method} ${path}: ${response.status} ${await response.text()}`,
      );
    }
    return response;
  }

  const v = encodeURIComponent;
  return {
    async createVhost(vhost) {
      await call("PUT", `/vhosts/${v(vhost)}`, {});
      await call("PUT", `/permissions/${v(vhost)}/${v(user)}`, {
        configure: ".*",
        write: ".*",
        read: ".*",
      });
    },
    async deleteVhost(vhost) {
      await call("DELETE", `/vhosts/${v(vhost)}`);
    },
    async queue(vhost, queue) {
      const response = await call("GET", `/queues/${v(vhost)}/${v(queue)}`);
      if (response.status === 404) throw new Error(`no queue ${queue} in vhost ${vhost}`);
      return (await response.json()) as QueueInfo;
    },
    async overview() {
      return BrokerOverview.parse(await (await call("GET", "/overview")).json());
    },
    async closeConnections(vhost) {
      const deadline = Date.now() + 20_000;
      let listed = ConnectionList.parse(
        await (await call("GET", `/vhosts/${v(vhost)}/connections`)).json(),
      );
      while (listed.length === 0) {
        if (Date.now() > deadline) throw new Error(`no connection to ${vhost} listed in 20 s`);
        await sleep(200);
        listed = ConnectionList.parse(
          await (await call("GET", `/vhosts/${v(vhost)}/connections`)).json(),
        );
      }
      for (const connection of listed) {
        await call("DELETE", `/connections/${v(connection.name)}`);
      }
      return listed.length;
    },
  };
}

/** The AMQP URL of `vhost` on the broker of `amqpUrl`. */
export function vhostUrl(amqpUrl: string, vhost: string): string {
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}
