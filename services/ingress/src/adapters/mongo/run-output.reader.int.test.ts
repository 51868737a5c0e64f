import { Writable } from "node:stream";
import { RUN_OUTPUT } from "@textops/contracts";
import { describe, expect, test } from "@textops/testing";
import { pino } from "pino";
import { createRunOutputReader } from "./run-output.reader.js";

const RUN_ID = "K7Q2MX";
const at = "2024-01-01T12:00:05.000Z";

describe(createRunOutputReader.name, () => {
  test("skips and counts stored chunks that do not match the contract", async ({ mongo }) => {
    await mongo.db.collection(RUN_OUTPUT.collection).insertMany([
      { runId: RUN_ID, attempt: 1, seq: 0, text: "kept\n", bytes: 5, at },
      { runId: RUN_ID, attempt: 1, seq: 1, text: ["not", "text"], bytes: 7, at },
      { runId: RUN_ID, attempt: 1, seq: -2, text: "x", bytes: 1, at },
    ]);
    const warnings: unknown[] = [];
    const sink = new Writable({
      write(line: Buffer, _encoding, done) {
        warnings.push(JSON.parse(line.toString()));
        done();
      },
    });
    const output = createRunOutputReader(mongo.db, { log: pino({ level: "warn" }, sink) });

    expect(await output.attempts(RUN_ID)).toEqual([1]);
    expect(await output.read(RUN_ID, 1)).toEqual({ text: "kept\n", truncated: false });
    expect(warnings).toMatchObject([{ runId: RUN_ID, attempt: 1, invalid: 2 }]);
  });
});
