import { RUN_OUTPUT, type RunOutputChunk } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import { createAttemptChunks } from "./run-output.chunks.js";
import { createRunOutputStore } from "./run-output.writer.js";

const chunkAt = (seq: number, text: string, at: string): RunOutputChunk => ({
  runId: "K7Q2MX",
  attempt: 1,
  seq,
  text,
  bytes: text.length,
  at,
});

describe(createAttemptChunks.name, () => {
  test("a duplicate that is this very chunk (the driver sent it again) counts as stored, not as a taken seq", async ({
    mongo,
  }) => {
    await createRunOutputStore(mongo.db).ensureIndexes();
    const collection = mongo.db.collection<RunOutputChunk>(RUN_OUTPUT.collection);
    const chunks = createAttemptChunks(collection, {
      runId: "K7Q2MX",
      attempt: 1,
      limitBytes: 1024,
    });
    await chunks.load();
    const mine = chunkAt(chunks.nextSeq(), "before\n", "2026-12-02T07:00:00.000Z");
    await collection.insertOne({ ...mine }); // the first send, landed; its answer lost

    expect(await chunks.insert(mine, false)).toBe("stored");

    const theirs = chunkAt(chunks.nextSeq(), "other writer\n", "2026-12-02T07:00:01.000Z");
    await collection.insertOne({ ...theirs });
    const next = { ...theirs, text: "during\n", at: "2026-12-02T07:00:02.000Z" };
    expect(await chunks.insert(next, false)).toBe("seq taken");
    expect(await collection.countDocuments(RUN_OUTPUT.ofAttempt("K7Q2MX", 1))).toBe(2);
  });
});
