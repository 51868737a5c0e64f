import { Writable } from "node:stream";
import { RUN_OUTPUT, lastLines, type RunOutputChunk } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import type { Db } from "mongodb";
import { pino } from "pino";
import { createRunOutputReader } from "./run-output.reader.js";

const RUN_ID = "K7Q2MX";

/** Stores an attempt's output chunks as a worker does: `[seq, text]` each. */
async function storeOutput(db: Db, attempt: number, chunks: [number, string][]): Promise<void> {
  const documents: RunOutputChunk[] = chunks.map(([seq, text]) => ({
    runId: RUN_ID,
    attempt,
    seq,
    text,
    bytes: Buffer.byteLength(text),
    at: "2026-12-01T12:00:00.000Z",
  }));
  await db.collection<RunOutputChunk>(RUN_OUTPUT.collection).insertMany(documents);
}

describe(createRunOutputReader.name, () => {
  test("lists the attempts with output and reads one in seq order", async ({ mongo }) => {
    await storeOutput(mongo.db, 2, [
      [1, "step 2\n"],
      [0, "step 1\n"],
    ]);
    await storeOutput(mongo.db, 1, [[0, "failed\n"]]);
    const output = createRunOutputReader(mongo.db);

    expect(await output.attempts(RUN_ID)).toEqual([1, 2]);
    expect(await output.read(RUN_ID, 2)).toEqual({ text: "step 1\nstep 2\n", truncated: false });
    expect(await output.attempts("P4ZR9T")).toEqual([]);
    expect(await output.read(RUN_ID, 3)).toBeNull();
  });

  test("what `logs` shows: the last lines of the latest attempt, marked when cut", async ({
    mongo,
  }) => {
    await storeOutput(mongo.db, 1, [
      [4, "…ine 4\nline 5\n"],
      [5, "line 6\nline 7\n"],
    ]);
    const output = createRunOutputReader(mongo.db);

    const latest = (await output.attempts(RUN_ID)).at(-1) ?? 0;
    const kept = await output.read(RUN_ID, latest);

    expect(kept && lastLines(kept.text, 20, kept.truncated)).toBe("…\nline 6\nline 7");
  });

  test("skips and counts stored chunks that do not match the contract", async ({ mongo }) => {
    await storeOutput(mongo.db, 1, [[0, "kept\n"]]);
    await mongo.db.collection(RUN_OUTPUT.collection).insertMany([
      { runId: RUN_ID, attempt: 1, seq: 1, text: null },
      { runId: RUN_ID, attempt: 1, seq: "2", text: "x", bytes: 1, at: "now" },
    ]);
    const warnings: unknown[] = [];
    const sink = new Writable({
      write(line: Buffer, _encoding, done) {
        warnings.push(JSON.parse(line.toString()));
        done();
      },
    });
    const output = createRunOutputReader(mongo.db, { log: pino({ level: "warn" }, sink) });

    expect(await output.read(RUN_ID, 1)).toEqual({ text: "kept\n", truncated: false });
    expect(warnings).toMatchObject([{ runId: RUN_ID, attempt: 1, invalid: 2 }]);
  });
});
