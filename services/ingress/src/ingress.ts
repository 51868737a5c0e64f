import type { AmqpConnectionManager } from "@textops/messaging";
import type { DirectoryLoad } from "@textops/runtime";
import type { Express } from "express";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { createReplyToGateway } from "./adapters/amqp/reply-to.gateway.js";
import { createDeliveryReportPublisher } from "./adapters/amqp/delivery-reports.publisher.js";
import { startOutboundDelivery } from "./adapters/amqp/outbound-delivery.consumer.js";
import { createDeliveryRecordStore } from "./adapters/mongo/delivery-records.store.js";
import { createDevMessageStore } from "./adapters/mongo/dev-message.store.js";
import { createRunOutputReader } from "./adapters/mongo/run-output.reader.js";
import { createRunReader } from "./adapters/mongo/run.reader.js";
import { createReadinessCheck } from "./adapters/readiness.js";
import { createApp } from "./app.js";
import { buildChannels } from "./channels/channels.js";
import type { ChannelsConfig } from "./channels/channel-variables.js";
import type { DevChannel } from "./ports.js";

export interface IngressOptions {
  db: Db;
  connection: AmqpConnectionManager;
  log: Logger;
  replyTimeoutMs: number;
  publishTimeoutMs: number;
  /** The directory of people, or open mode without one. */
  people: DirectoryLoad;
  devChannel: DevChannel;
  /** The channels' settings: each of Twilio SMS, Telegram and Slack is on once its credentials are set. */
  channels: ChannelsConfig;
}

export interface Ingress {
  app: Express;
  /** Resolves once the channel for inbound messages and their replies is set up. */
  whenConnected(): Promise<void>;
  /** Stops consuming outbound.<channel> (finishing messages in hand) and closes its channels to the broker. */
  stop(): Promise<void>;
}

/** Ingress's parts on real adapters: the HTTP app, the reply-to gateway, a delivery consumer per channel. */
export async function startIngress(options: IngressOptions): Promise<Ingress> {
  const { db, connection, log, people, devChannel } = options;
  logAccess(people, devChannel, log);
  const store = await createDevMessageStore(db);
  const gateway = createReplyToGateway({
    connection,
    log,
    replyTimeoutMs: options.replyTimeoutMs,
    publishTimeoutMs: options.publishTimeoutMs,
  });
  const reports = createDeliveryReportPublisher(connection, options.publishTimeoutMs);
  const records = createDeliveryRecordStore(db);
  const channels = buildChannels(options.channels, {
    db,
    gateway,
    devMessages: store,
    log,
    clock: Date.now,
  });
  const consumers = await Promise.all(
    channels.map(({ sender }) =>
      startOutboundDelivery({ connection, sender, records, reports, log }),
    ),
  );
  const app = createApp({
    runs: createRunReader(db),
    runOutput: createRunOutputReader(db, { log }),
    devMessages: store,
    inbound: gateway,
    ready: createReadinessCheck({ connection, db }),
    people,
    devChannel,
    channelRoutes: channels.flatMap((channel) => (channel.routes ? [channel.routes] : [])),
    log,
  });
  return {
    app,
    whenConnected: () => gateway.whenConnected(),
    async stop() {
      try {
        await Promise.all(consumers.map((consumer) => consumer.stop()));
      } finally {
        await Promise.all([gateway.close(), reports.close()]);
      }
    },
  };
}

/** Says at start-up who may read and who may speak over HTTP. */
function logAccess(people: DirectoryLoad, devChannel: DevChannel, log: Logger): void {
  if (people.mode === "open") {
    log.warn(
      "no directory of people (USERS_FILE unset, config/users.yaml absent): anyone may read every run and conversation, and POST /dev/inbound takes any sender",
    );
    return;
  }
  const count = people.directory.people().length;
  log.info(
    { usersFile: people.path, people: count, devChannel },
    `directory of people ${people.path}: ${count} people; reads need a bearer token`,
  );
  if (devChannel === "open") {
    log.warn(
      "DEV_CHANNEL=open while a directory of people is in use: anyone who can reach ingress may speak as anyone on POST /dev/inbound",
    );
  }
}
