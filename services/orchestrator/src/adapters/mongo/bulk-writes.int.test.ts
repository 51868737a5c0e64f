import { describe, expect, test } from "@textops/testing";
import { batchedInsert, batchedUpdate } from "./bulk-writes.js";

interface Counter {
  _id: string;
  version: number;
}

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("bulk writes", () => {
  test("hundreds of concurrent guarded updates, in full batches on several collections at once, all land", async ({
    mongo,
  }) => {
    const collections = ["first", "second", "third"].map((name) =>
      mongo.db.collection<Counter>(name),
    );
    const keys = ids(300, "doc");
    await Promise.all(
      collections.map((c) => c.insertMany(keys.map((_id) => ({ _id, version: 1 })))),
    );
    const updates = collections.map((c) => batchedUpdate(c));

    // Each collection gets 300 updates in one turn: batches of the group
    // commit's largest size, three collections' batches on the server at once.
    const results = await Promise.all(
      updates.flatMap((update) =>
        keys.map((_id) =>
          update({
            updateOne: { filter: { _id, version: 1 }, update: { $inc: { version: 1 } } },
          }),
        ),
      ),
    );

    expect(results.every(Boolean)).toBe(true);
    for (const c of collections) {
      expect(await c.countDocuments({ version: 2 })).toBe(keys.length);
    }
  });

  test("each caller of a batched insert learns whether its own document went in", async ({
    mongo,
  }) => {
    const collection = mongo.db.collection<Counter>("inserted");
    await collection.insertOne({ _id: "taken", version: 1 });
    const insert = batchedInsert(collection);

    const outcomes = await Promise.all(
      [...ids(200, "new"), "taken"].map((_id) => insert({ _id, version: 1 })),
    );

    expect(outcomes.slice(0, 200).every((o) => o === "inserted")).toBe(true);
    expect(outcomes[200]).toBe("duplicate");
    expect(await collection.countDocuments()).toBe(201);
  });
});
