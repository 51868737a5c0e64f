import { describe, expect, test } from "vitest";
import { maskCredentials, maskUrl, showSecret } from "./secrets.js";

describe(maskUrl.name, () => {
  test.each([
    ["amqp://guest:guest@127.0.0.1:5672", "amqp://guest:***@127.0.0.1:5672"],
    ["amqps://user:s3cret@rabbit.example:5671/prod", "amqps://user:***@rabbit.example:5671/prod"],
    ["mongodb+srv://app:p@ss/w rd@cluster.example/db", "mongodb+srv://app:***@cluster.example/db"],
    [
      "mongodb://app:pw@h1:27017,h2:27017/db?replicaSet=rs",
      "mongodb://app:***@h1:27017,h2:27017/db?replicaSet=rs",
    ],
    ["amqp://api-token@rabbit.example", "amqp://***@rabbit.example"],
  ])("%s is shown as %s", (url, shown) => {
    expect(maskUrl(url)).toBe(shown);
  });

  test("a URL without credentials is kept to the letter", () => {
    expect(maskUrl("http://127.0.0.1:5672")).toBe("http://127.0.0.1:5672");
    expect(maskUrl("mongodb://127.0.0.1:27017/?retryWrites=false")).toBe(
      "mongodb://127.0.0.1:27017/?retryWrites=false",
    );
  });
});

describe(maskCredentials.name, () => {
  test("masks every URL in a text, JSON log lines included, and keeps the rest", () => {
    const line = JSON.stringify({
      msg: "cannot reach amqp://guest:hunter2@rabbit:5672 or mongodb://app:swordfish@db/textops",
      err: { stack: "MongoError: at mongodb://app:swordfish@db/textops\n    at connect" },
      at: "12:00",
    });

    const masked = maskCredentials(line);

    expect(masked).not.toMatch(/hunter2|swordfish/);
    expect(JSON.parse(masked)).toEqual({
      msg: "cannot reach amqp://guest:***@rabbit:5672 or mongodb://app:***@db/textops",
      err: { stack: "MongoError: at mongodb://app:***@db/textops\n    at connect" },
      at: "12:00",
    });
  });

  test("is a no-op on masked text and on text without credentials", () => {
    const text = "waiting for RabbitMQ at amqp://guest:***@127.0.0.1:5672; user@example.com";
    expect(maskCredentials(text)).toBe(text);
  });
});

describe(showSecret.name, () => {
  test("a URL is shown with its credentials masked", () => {
    expect(showSecret("postgres://user:secret@db.example")).toBe("postgres://user:***@db.example");
  });

  test.each(["user:secret@rabbit:5672", "secret", "amqp:/user:secret@rabbit"])(
    "%s, which is no URL, is not shown at all",
    (value) => {
      expect(showSecret(value)).toBeUndefined();
    },
  );
});
