import amqplib, { type GetMessage } from "amqplib";
import { vi } from "vitest";

/** Takes messages off a queue directly, for tests that check what a queue holds. */
export async function withQueueReader<T>(
  url: string,
  body: (take: (queue: string) => Promise<GetMessage>) => Promise<T>,
): Promise<T> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    const take = (queue: string) =>
      vi.waitFor(
        async () => {
          const message = await channel.get(queue, { noAck: true });
          if (!message) throw new Error(`nothing in ${queue} yet`);
          return message;
        },
        { timeout: 15_000, interval: 50 },
      );
    return await body(take);
  } finally {
    await connection.close();
  }
}

/** Messages ready in a queue, straight from the broker (the management API lags). */
export async function queueDepth(url: string, queue: string): Promise<number> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}
