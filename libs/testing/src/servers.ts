import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ServerUrls {
  amqpUrl: string;
  mongoUrl: string;
  rabbitManagementUrl: string;
}

export interface StartedServers extends ServerUrls {
  source: "environment" | "containers" | "local processes";
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The management API beside an AMQP URL: same host and credentials, port 15672. */
export function managementUrlFor(amqpUrl: string): string {
  const amqp = new URL(amqpUrl);
  const user = decodeURIComponent(amqp.username || "guest");
  const pass = decodeURIComponent(amqp.password || "guest");
  return `http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${amqp.hostname}:15672`;
}

/**
 * Finds or starts RabbitMQ and a MongoDB-speaking server for the tests:
 * AMQP_URL and MONGO_URL when set; otherwise containers where a Docker engine
 * answers; otherwise the local servers of scripts/services.sh.
 */
export async function startServers(env: NodeJS.ProcessEnv = process.env): Promise<StartedServers> {
  if (env.AMQP_URL && env.MONGO_URL) {
    return {
      source: "environment",
      amqpUrl: env.AMQP_URL,
      mongoUrl: env.MONGO_URL,
      rabbitManagementUrl: env.RABBITMQ_MANAGEMENT_URL ?? managementUrlFor(env.AMQP_URL),
      stop: async () => {},
    };
  }
  if (env.AMQP_URL || env.MONGO_URL) {
    throw new Error("set both AMQP_URL and MONGO_URL, or neither");
  }
  if (await dockerAnswers()) return startContainers();
  return startLocalProcesses();
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<StartedServers> {
  const { RabbitMQContainer } = await import("@testcontainers/rabbitmq");
  const { MongoDBContainer } = await import("@testcontainers/mongodb");
  const [rabbit, mongo] = await Promise.all([
    new RabbitMQContainer("rabbitmq:4-management").start(),
    new MongoDBContainer("mongo:8").start(),
  ]);
  return {
    source: "containers",
    amqpUrl: rabbit.getAmqpUrl(),
    mongoUrl: `${mongo.getConnectionString()}/?directConnection=true`,
    rabbitManagementUrl: `http://guest:guest@${rabbit.getHost()}:${rabbit.getMappedPort(15672)}`,
    stop: async () => {
      await Promise.all([rabbit.stop(), mongo.stop()]);
    },
  };
}

function startLocalProcesses(): StartedServers {
  execFileSync("bash", [`${repoRoot}scripts/services.sh`, "up"], { stdio: "inherit" });
  return {
    source: "local processes",
    amqpUrl: "amqp://guest:guest@127.0.0.1:5672",
    mongoUrl: "mongodb://127.0.0.1:27017/?retryWrites=false",
    rabbitManagementUrl: "http://guest:guest@127.0.0.1:15672",
    // Left running: the next test run reuses them; `scripts/services.sh down` stops them.
    stop: async () => {},
  };
}
