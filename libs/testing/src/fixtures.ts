import { randomUUID } from "node:crypto";
import { MongoClient, type Db } from "mongodb";
import { pino, type Logger } from "pino";
import { test as base, inject } from "vitest";
import "./provided-context.js";
import { rabbitAdmin, vhostUrl, type RabbitAdmin } from "./rabbit-admin.js";

export interface RabbitContext {
  /** AMQP URL of a vhost of this test's own. */
  url: string;
  vhost: string;
  admin: RabbitAdmin;
}

export interface MongoContext {
  url: string;
  /** A database of this test's own, dropped afterwards. */
  dbName: string;
  client: MongoClient;
  db: Db;
}

/** A short unique name, valid as a vhost, database or queue name everywhere. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** Logs of code under test: silent unless TEST_LOG_LEVEL says otherwise. */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
}

/**
 * `test` with real servers: each test gets its own RabbitMQ vhost and its own
 * database, so test files run in parallel and never see each other's data.
 */
export const test = base.extend<{ rabbit: RabbitContext; mongo: MongoContext; log: Logger }>({
  // eslint-disable-next-line no-empty-pattern
  rabbit: async ({}, use) => {
    const admin = rabbitAdmin(inject("rabbitManagementUrl"));
    const vhost = uniqueName("test");
    await admin.createVhost(vhost);
    try {
      await use({ url: vhostUrl(inject("amqpUrl"), vhost), vhost, admin });
    } finally {
      await admin.deleteVhost(vhost);
    }
  },
  // eslint-disable-next-line no-empty-pattern
  mongo: async ({}, use) => {
    const url = inject("mongoUrl");
    const dbName = uniqueName("test");
    const client = await MongoClient.connect(url);
    try {
      await use({ url, dbName, client, db: client.db(dbName) });
    } finally {
      await client.db(dbName).dropDatabase();
      await client.close();
    }
  },
  // eslint-disable-next-line no-empty-pattern
  log: async ({}, use) => {
    await use(testLogger());
  },
});

export { expect, describe, inject, vi } from "vitest";
