import { Writable } from "node:stream";
import { RUN_OUTPUT, RunOutputChunk, joinOutput } from "@textops/contracts";
import { describe, expect, test, vi } from "@textops/testing";
import { MongoClient, MongoServerError, type Db } from "mongodb";
import { pino } from "pino";
import { startMongoProxy } from "../../testing/mongo-proxy.js";
import { utf8Bytes } from "./bounded-text.js";
import { createRunOutputStore } from "./run-output.writer.js";

const RUN_ID = "K7Q2MX";

/** The attempt's stored chunks in seq order, each checked against the contract. */
async function storedChunks(db: Db, attempt = 1): Promise<RunOutputChunk[]> {
  const documents = await db
    .collection(RUN_OUTPUT.collection)
    .find(RUN_OUTPUT.ofAttempt(RUN_ID, attempt), { projection: { _id: 0 } })
    .sort(RUN_OUTPUT.inOrder)
    .toArray();
  return documents.map((document) => RunOutputChunk.parse(document));
}

const storedOutput = async (db: Db, attempt = 1) => joinOutput(await storedChunks(db, attempt));

const eventually = (check: () => Promise<void> | void) =>
  vi.waitFor(check, { timeout: 10_000, interval: 20 });

/** A logger whose records the test can read. */
function recordingLogger() {
  const records: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      records.push(JSON.parse(line.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), records };
}

describe(createRunOutputStore.name, () => {
  test("output written while the job runs can be read before it ends", async ({ mongo }) => {
    const store = createRunOutputStore(mongo.db);
    await store.ensureIndexes();
    const output = store.open(RUN_ID, 1);

    output.write("step 1 done\n");
    output.write("step 2 done\n");

    await eventually(async () =>
      expect(await storedOutput(mongo.db)).toEqual({
        text: "step 1 done\nstep 2 done\n",
        truncated: false,
      }),
    );
    await output.close();
  });

  test("close flushes what is still buffered", async ({ mongo }) => {
    const output = createRunOutputStore(mongo.db, { flushIntervalMs: 60_000 }).open(RUN_ID, 1);

    output.write("the last words\n");
    await output.close();

    expect(await storedOutput(mongo.db)).toEqual({ text: "the last words\n", truncated: false });
  });

  test("steady output keeps the newest text within the limit, dropping the oldest chunks", async ({
    mongo,
  }) => {
    const store = createRunOutputStore(mongo.db, { limitBytes: 1000, flushBytes: 100 });
    await store.ensureIndexes();
    const output = store.open(RUN_ID, 1);
    const lines = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(2, "0")} `);

    for (const [i, line] of lines.entries()) {
      output.write(line.padEnd(99, ".") + "\n");
      // One chunk a line: the line is flushed (flushBytes) before the next is written.
      await eventually(async () => expect((await storedChunks(mongo.db)).at(-1)?.seq).toBe(i));
    }
    await output.close();

    const chunks = await storedChunks(mongo.db);
    const kept = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
    expect(kept).toBeLessThanOrEqual(1000);
    expect(chunks.every((chunk) => chunk.bytes === utf8Bytes(chunk.text))).toBe(true);
    const { text, truncated } = joinOutput(chunks);
    expect(truncated).toBe(true);
    expect(text).toContain("line 39 ");
    expect(text).not.toContain("line 00 ");
  });

  test("a burst bigger than the limit keeps its end, cut between characters", async ({ mongo }) => {
    const store = createRunOutputStore(mongo.db, { limitBytes: 1000, flushIntervalMs: 60_000 });
    const output = store.open(RUN_ID, 1);

    output.write("start\n");
    output.write("€".repeat(400));
    await output.close();

    const chunks = await storedChunks(mongo.db);
    expect(chunks).toMatchObject([{ seq: 0, text: "€".repeat(333), bytes: 999, cut: true }]);
    expect(joinOutput(chunks).truncated).toBe(true);
  });

  test("after a restart, the same attempt continues its seqs and its limit", async ({ mongo }) => {
    const before = createRunOutputStore(mongo.db, { limitBytes: 1000 });
    await before.ensureIndexes();
    const first = before.open(RUN_ID, 1);
    first.write("a".repeat(300));
    await first.close();
    const other = before.open(RUN_ID, 2);
    other.write("attempt 2");
    await other.close();

    const after = createRunOutputStore(mongo.db, { limitBytes: 1000 });
    const again = after.open(RUN_ID, 1);
    again.write("b".repeat(300));
    await again.close();
    expect((await storedChunks(mongo.db)).map((c) => c.seq)).toEqual([0, 1]);
    expect(await storedOutput(mongo.db)).toEqual({
      text: "a".repeat(300) + "b".repeat(300),
      truncated: false,
    });

    const once = after.open(RUN_ID, 1);
    once.write("c".repeat(600));
    await once.close();
    expect((await storedChunks(mongo.db)).map((c) => c.seq)).toEqual([1, 2]);
    expect(await storedOutput(mongo.db, 2)).toEqual({ text: "attempt 2", truncated: false });
  });

  test("a seq is stored once per attempt", async ({ mongo }) => {
    await createRunOutputStore(mongo.db).ensureIndexes();
    const chunk = {
      runId: RUN_ID,
      attempt: 1,
      seq: 0,
      text: "x",
      bytes: 1,
      at: new Date().toISOString(),
    };
    const collection = mongo.db.collection(RUN_OUTPUT.collection);
    await collection.insertOne({ ...chunk });

    const duplicate = await collection.insertOne({ ...chunk }).catch((error: unknown) => error);

    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);
  });

  test("text written while the database is away is saved once it is back", async ({ mongo }) => {
    const proxy = await startMongoProxy(mongo.url);
    const client = new MongoClient(proxy.url, { serverSelectionTimeoutMS: 300 });
    const { log, records } = recordingLogger();
    try {
      const db = client.db(mongo.dbName);
      const output = createRunOutputStore(db, { flushIntervalMs: 20, log }).open(RUN_ID, 1);
      output.write("before\n");
      await eventually(async () => expect((await storedOutput(mongo.db)).text).toBe("before\n"));

      proxy.cut();
      output.write("during\n");
      await eventually(() =>
        expect(records.map((r) => r.msg)).toContain("run output not saved yet; retrying"),
      );
      proxy.restore();
      await eventually(() => expect(records.map((r) => r.msg)).toContain("run output saved again"));
      output.write("after\n");
      await output.close();

      expect(await storedOutput(mongo.db)).toEqual({
        text: "before\nduring\nafter\n",
        truncated: false,
      });
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  test("close resolves with a warning when the database stays away", async ({ mongo }) => {
    const proxy = await startMongoProxy(mongo.url);
    const client = new MongoClient(proxy.url, { serverSelectionTimeoutMS: 300 });
    const { log, records } = recordingLogger();
    try {
      const db = client.db(mongo.dbName);
      const output = createRunOutputStore(db, { flushIntervalMs: 60_000, log }).open(RUN_ID, 1);
      output.write("lost\n");
      proxy.cut();

      await output.close();

      expect(records.map((r) => r.msg)).toContain("run output not saved: the end of it is lost");
      expect(await storedChunks(mongo.db)).toEqual([]);
    } finally {
      await client.close();
      await proxy.close();
    }
  });
});
