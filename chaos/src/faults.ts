import type { Cluster } from "./cluster.js";
import { publishPoison } from "./broker.js";
import type { RabbitNode } from "./rabbit-node.js";
import { delay, until } from "./wait.js";

export interface FaultContext {
  cluster: Cluster;
  baseUrl: string;
  amqpUrl: string;
  /** The chaos run's own RabbitMQ node, the only one a fault may stop. */
  broker: RabbitNode;
}

/** Breaks something while traffic flows; says what it did and what it saw. */
export type Fault = (ctx: FaultContext) => Promise<string>;

let probes = 0;

async function probe(baseUrl: string): Promise<number> {
  probes += 1;
  try {
    const response = await fetch(`${baseUrl}/dev/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        from: "probe",
        conversation: "probe",
        body: "help",
        providerMessageId: `probe-${probes}-${Date.now()}`,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    return response.status;
  } catch {
    return 0;
  }
}

async function ready(baseUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

export const killActiveOrchestrator: Fault = async ({ cluster, baseUrl }) => {
  await cluster.kill("orchestrator-1", "SIGKILL");
  const killedAt = Date.now();
  await until(
    "the standby to answer",
    async () => ((await probe(baseUrl)) === 200 ? true : undefined),
    60_000,
    50,
  );
  const takeover = Date.now() - killedAt;
  cluster.restart("orchestrator-1");
  return `kill -9 active orchestrator: standby answered after ${takeover} ms`;
};

/** Asks for and approves a long job of its own, so there is always one to interrupt. */
async function startLongJob(baseUrl: string): Promise<string> {
  const send = async (body: string) => {
    const response = await fetch(`${baseUrl}/dev/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: "chaos", conversation: "chaos", body }),
      signal: AbortSignal.timeout(10_000),
    });
    return ((await response.json()) as { runId?: string | null }).runId ?? undefined;
  };
  const runId = await until("a long run to be created", () => send("run sleep seconds=3"), 30_000);
  await send(`yes ${runId}`);
  return runId;
}

export const killWorkerMidJob: Fault = async ({ cluster, baseUrl }) => {
  const runId = await startLongJob(baseUrl);
  const running = await until(
    `a worker to start ${runId}`,
    () => cluster.lines.find((l) => l.fields.msg === "running job" && l.fields.runId === runId),
    30_000,
    20,
  );
  await cluster.kill(running.member, "SIGKILL");
  const killedAt = Date.now();
  // The broker hands the dispatch to another worker, which finds the attempt
  // claimed and reports it lost; the killed worker comes back after that.
  const reported = await until(
    `another worker to report ${runId}#${String(running.fields.attempt)} lost`,
    () =>
      cluster.lines.find(
        (l) =>
          l.fields.msg ===
            "dispatch redelivered after a worker was lost; reporting the attempt lost" &&
          l.fields.runId === runId &&
          l.fields.attempt === running.fields.attempt,
      ),
    60_000,
    20,
  );
  cluster.restart(running.member);
  return (
    `kill -9 ${running.member} while it ran ${runId}#${String(running.fields.attempt)}; ` +
    `${reported.member} reported it lost after ${Date.now() - killedAt} ms`
  );
};

export const restartBroker: Fault = async ({ baseUrl, broker }) => {
  await broker.stopApp();
  const stoppedAt = Date.now();
  const statuses: number[] = [];
  // Down for 3 s, asked every 100 ms meanwhile (pacing, not synchronisation).
  while (Date.now() - stoppedAt < 3_000) {
    statuses.push(await probe(baseUrl));
    await delay(100);
  }
  const startingAt = Date.now();
  await broker.startApp();
  const brokerUp = Date.now() - startingAt;
  await until(
    "ingress to be ready again",
    async () => ((await ready(baseUrl)) ? true : undefined),
    90_000,
    200,
  );
  const unavailable = statuses.filter((s) => s === 503).length;
  if (unavailable === 0)
    throw new Error(`ingress never answered 503 while the broker was down: ${statuses.join(",")}`);
  return (
    `rabbitmqctl stop_app/start_app: ${unavailable}/${statuses.length} probes got 503 while down; ` +
    `broker up ${brokerUp} ms after start_app, ingress ready ${Date.now() - startingAt} ms after it`
  );
};

export const restartDatabase: Fault = async ({ cluster, baseUrl }) => {
  await cluster.stopDatabase();
  const stoppedAt = Date.now();
  const notReady = await until(
    "/readyz to say not ready",
    async () => ((await ready(baseUrl)) ? undefined : true),
    15_000,
    100,
  );
  await delay(Math.max(0, 3_000 - (Date.now() - stoppedAt)));
  await cluster.startDatabase();
  const startedAt = Date.now();
  await until(
    "ingress to be ready again",
    async () => ((await ready(baseUrl)) ? true : undefined),
    60_000,
    200,
  );
  return `database stopped for ${startedAt - stoppedAt} ms (readyz said not ready: ${notReady}); ready ${Date.now() - startedAt} ms after restart`;
};

export const poisonQueues: Fault = async ({ amqpUrl }) => {
  const count = await publishPoison(amqpUrl);
  return `published ${count} poison messages (not JSON, schema-invalid, wrong type, oversized) to every consumed queue`;
};
