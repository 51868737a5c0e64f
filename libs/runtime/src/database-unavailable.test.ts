import { describe, expect, test } from "vitest";
import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
} from "mongodb";
import { isDatabaseUnavailable } from "./mongo-connect.js";

describe(isDatabaseUnavailable.name, () => {
  test("a dropped connection or no server to select means the database is unavailable", () => {
    expect(isDatabaseUnavailable(new MongoNetworkError("read ECONNRESET"))).toBe(true);
    const noServer = new MongoServerSelectionError("no server", { error: undefined } as never);
    expect(isDatabaseUnavailable(noServer)).toBe(true);
  });

  test("a bulk write that failed as a whole, without per-document errors, is an outage", () => {
    const dropped = new MongoBulkWriteError(
      { message: "read ECONNRESET", code: undefined as never, writeErrors: [] },
      { insertedCount: 0 } as never,
    );
    expect(isDatabaseUnavailable(dropped)).toBe(true);
  });

  test("an error the server gave about the request is not an outage", () => {
    expect(isDatabaseUnavailable(new MongoServerError({ message: "E11000", code: 11000 }))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new Error("a bug"))).toBe(false);
  });

  test("an error caused by an outage is an outage", () => {
    const wrapped = new Error("could not record", { cause: new MongoNetworkError("reset") });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });
});
