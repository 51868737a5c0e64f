import amqplib from "amqplib";
import { CATALOG, dispatchRoutingKey, EXCHANGES, QUEUES, TOPOLOGY } from "@textops/contracts";

const AUTH = `Basic ${Buffer.from("guest:guest").toString("base64")}`;

/** A call to the management HTTP API at `managementUrl` (…/api). */
async function api(managementUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${managementUrl}${path}`, {
    method,
    headers: { authorization: AUTH, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok && response.status !== 404) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
}

export async function createVhost(managementUrl: string, vhost: string) {
  await api(managementUrl, "PUT", `/vhosts/${encodeURIComponent(vhost)}`, {});
  const perms = { configure: ".*", write: ".*", read: ".*" };
  await api(managementUrl, "PUT", `/permissions/${encodeURIComponent(vhost)}/guest`, perms);
}

export async function deleteVhost(managementUrl: string, vhost: string) {
  await api(managementUrl, "DELETE", `/vhosts/${encodeURIComponent(vhost)}`);
}

/** Messages waiting in every queue of the vhost, by queue name. */
export async function queueDepths(url: string): Promise<Record<string, number>> {
  const connection = await amqplib.connect(url);
  try {
    const depths: Record<string, number> = {};
    for (const queue of TOPOLOGY.queues) {
      const channel = await connection.createChannel();
      depths[queue.name] = (await channel.checkQueue(queue.name)).messageCount;
      await channel.close();
    }
    return depths;
  } finally {
    await connection.close();
  }
}

/** Dead-lettered messages with their reasons (taken off the queues: the vhost goes next). */
export async function deadLetters(url: string): Promise<string[]> {
  const connection = await amqplib.connect(url);
  const found: string[] = [];
  try {
    const channel = await connection.createChannel();
    const dead = TOPOLOGY.queues
      .map((q) => q.name)
      .filter((n) => n.endsWith(".dead") || n === QUEUES.unroutable);
    for (const queue of dead) {
      for (
        let message = await channel.get(queue, { noAck: true });
        message;
        message = await channel.get(queue, { noAck: true })
      ) {
        const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
        const header = headers["x-textops-dead-letter-reason"];
        const reason =
          typeof header === "string" || Buffer.isBuffer(header)
            ? header.toString()
            : "(broker: delivery limit or unroutable)";
        found.push(`${queue}: ${reason.split("\n")[0]}`);
      }
    }
    return found;
  } finally {
    await connection.close();
  }
}

/** Garbage for every queue a consumer of ours reads: not JSON, schema-invalid, wrong type, oversized. */
export async function publishPoison(url: string): Promise<number> {
  const connection = await amqplib.connect(url);
  const channel = await connection.createConfirmChannel();
  const targets = [
    { exchange: EXCHANGES.inbound, key: "inbound.dev", type: "InboundMessage" },
    { exchange: EXCHANGES.dispatch, key: dispatchRoutingKey("default"), type: "ExecutionDispatch" },
    { exchange: EXCHANGES.outbound, key: "outbound.dev", type: "OutboundMessage" },
  ] as const;
  let count = 0;
  for (const target of targets) {
    const headers = {
      "x-schema-version": CATALOG[target.type].schemaVersion,
      "x-occurred-at": new Date().toISOString(),
    };
    const base = {
      messageId: `poison-${count}`,
      correlationId: "poison",
      headers,
      persistent: true,
    };
    const poisons: [Buffer, string][] = [
      [Buffer.from("{not json"), target.type],
      [Buffer.from(JSON.stringify({ hello: "world" })), target.type],
      [Buffer.from(JSON.stringify({ runId: "K7Q2MX" })), "NoSuchType"],
      [Buffer.alloc(300 * 1024, 120), target.type],
    ];
    for (const [content, type] of poisons) {
      channel.publish(target.exchange, target.key, content, {
        ...base,
        messageId: `poison-${count}`,
        type,
      });
      count += 1;
    }
  }
  await channel.waitForConfirms();
  await connection.close();
  return count;
}
