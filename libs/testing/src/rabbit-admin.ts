import { vi } from "vitest";

/** The few RabbitMQ management API calls tests need, over fetch. */
export interface QueueInfo {
  name: string;
  messages: number;
  messages_ready: number;
  messages_unacknowledged: number;
  consumers: number;
  single_active_consumer_tag?: string;
}

export interface RabbitAdmin {
  createVhost(vhost: string): Promise<void>;
  deleteVhost(vhost: string): Promise<void>;
  queue(vhost: string, queue: string): Promise<QueueInfo>;
  /**
   * Closes every client connection to the vhost from the server side. The
   * management API lists connections only once its statistics have caught up,
   * so this waits until at least one is listed.
   */
  closeConnections(vhost: string): Promise<number>;
}

export function rabbitAdmin(managementUrl: string): RabbitAdmin {
  const base = new URL(managementUrl);
  const auth = `Basic ${Buffer.from(
    `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`,
  ).toString("base64")}`;
  const origin = `${base.protocol}//${base.host}`;

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${origin}/api${path}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }
    return response;
  }

  const user = decodeURIComponent(base.username);
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
    async closeConnections(vhost) {
      const connections = await vi.waitFor(
        async () => {
          const response = await call("GET", `/vhosts/${v(vhost)}/connections`);
          const listed = (await response.json()) as { name: string }[];
          if (listed.length === 0) throw new Error(`no connection to ${vhost} listed yet`);
          return listed;
        },
        { timeout: 20_000, interval: 200 },
      );
      for (const connection of connections) {
        await call("DELETE", `/connections/${v(connection.name)}`);
      }
      return connections.length;
    },
  };
}
