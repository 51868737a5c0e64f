import { describe, expect, test } from "vitest";
import { createLogger } from "./logger.js";

/** A logger of the service's kind that keeps its lines as written. */
function recordingLogger(options: { redact?: string[]; bindings?: Record<string, string> } = {}) {
  const lines: string[] = [];
  const log = createLogger({
    name: "worker",
    level: "info",
    ...options,
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { log, lines };
}

describe(createLogger.name, () => {
  test("no line shows a password: not in a message, a field, or an error's message and stack", () => {
    const { log, lines } = recordingLogger();

    log.info({ broker: "amqp://guest:hunter2@rabbit:5672" }, "at mongodb://app:hunter2@db/textops");
    log.error({ err: new Error("cannot reach amqps://user:hunter2@rabbit.example") }, "failed");
    log.info({ config: { amqpUrl: "amqp://rabbit", mongoUrl: "mongodb://db" } }, "config");

    expect(lines.join("")).not.toContain("hunter2");
    const [first, second, third] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      name: "worker",
      broker: "amqp://guest:***@rabbit:5672",
      msg: "at mongodb://app:***@db/textops",
    });
    expect(second?.err).toMatchObject({ message: "cannot reach amqps://user:***@rabbit.example" });
    expect(third?.config).toEqual({ amqpUrl: "[Redacted]", mongoUrl: "[Redacted]" });
  });

  test("a service's own paths are redacted and its bindings are on every line", () => {
    const { log, lines } = recordingLogger({
      redact: ["req.headers.authorization"],
      bindings: { workerId: "worker-a" },
    });

    log.info({ req: { headers: { authorization: "Bearer abc" } } }, "request");

    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      workerId: "worker-a",
      req: { headers: { authorization: "[Redacted]" } },
    });
  });
});
