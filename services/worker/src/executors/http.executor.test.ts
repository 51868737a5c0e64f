import { pino } from "pino";
import { afterEach, describe, expect, test } from "vitest";
import { anExecutorContext, RecordedOutput } from "./executor.fixtures.js";
import { startReceiver, type Answer, type Receiver } from "./http-receiver.fixtures.js";
import { RESPONSE_LIMIT_BYTES } from "./http-response.js";
import { httpExecutor } from "./http.executor.js";
import { RetryableJobError, type ExecutorContext } from "./job-executor.js";

const secret = "hook-secret-9f2c";
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answer: Answer): Promise<Receiver> {
  const started = await startReceiver(secret, answer);
  receivers.push(started);
  return started;
}

function post(
  url: string,
  ctx: Partial<ExecutorContext> = {},
  options: { secret?: string; timeoutMs?: number } = {},
) {
  const execute = httpExecutor(
    { kind: "http", url, secretEnv: "DEPLOY_HOOK_SECRET" },
    { secret, timeoutMs: 5_000, ...options },
  );
  return execute(anExecutorContext(ctx));
}

const answer =
  (status: number, body = ""): Answer =>
  (res) =>
    res.writeHead(status, { "content-type": "text/plain" }).end(body);

describe(httpExecutor.name, () => {
  test("POSTs the run, signed, and succeeds with the first line of the answer", async () => {
    const hook = await receiver(answer(200, "\n  deployed api v2  \nall pods ready\n"));
    const output = new RecordedOutput();

    const result = await post(hook.url, {
      runId: "RUN234",
      attempt: 2,
      jobKey: "deploy",
      parameters: [
        { name: "service", value: "api" },
        { name: "replicas", value: 3 },
        { name: "dryRun", value: false },
      ],
      requestedBy: "user:dev:alice",
      approvedBy: ["user:dev:bob", "user:slack:U123"],
      output,
    });

    expect(result).toEqual({ summary: "deployed api v2" });
    expect(output.text).toBe("\n  deployed api v2  \nall pods ready\n");
    const [request] = hook.received;
    expect(request?.method).toBe("POST");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      runId: "RUN234",
      attempt: 2,
      job: "deploy",
      parameters: { service: "api", replicas: 3, dryRun: false },
      requestedBy: "user:dev:alice",
      approvedBy: ["user:dev:bob", "user:slack:U123"],
    });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "x-textops-run-id": "RUN234",
      "x-textops-attempt": "2",
      "idempotency-key": "RUN234:2",
      "x-textops-signature": expect.stringMatching(/^v1=[0-9a-f]{64}$/) as unknown,
    });
  });

  test('says "HTTP <status>" when the answer has no body', async () => {
    const hook = await receiver(answer(204));

    await expect(post(hook.url)).resolves.toEqual({ summary: "HTTP 204" });
  });

  test.each([
    [503, "busy, try later", "HTTP 503: busy, try later"],
    [500, "", "HTTP 500"],
    [429, "slow down", "HTTP 429: slow down"],
  ])("fails retryably on HTTP %i", async (status, body, message) => {
    const hook = await receiver(answer(status, body));

    const failure = post(hook.url);

    await expect(failure).rejects.toBeInstanceOf(RetryableJobError);
    await expect(failure).rejects.toThrow(new RetryableJobError(message));
  });

  test.each([
    [400, "missing service\nsee the docs", "HTTP 400: missing service"],
    [404, "", "HTTP 404"],
  ])("fails for good on HTTP %i", async (status, body, message) => {
    const hook = await receiver(answer(status, body));

    const failure = post(hook.url);

    await expect(failure).rejects.toThrow(new Error(message));
    await expect(failure).rejects.not.toBeInstanceOf(RetryableJobError);
  });

  test("is refused by the receiver when signed with another secret", async () => {
    const hook = await receiver(answer(200, "ran"));

    await expect(post(hook.url, {}, { secret: "not-the-secret" })).rejects.toThrow(
      new Error("HTTP 401: the signature does not match"),
    );
  });

  test("does not follow a redirect", async () => {
    const hook = await receiver((res, request) =>
      request.path === "/elsewhere"
        ? res.writeHead(200).end("followed")
        : res.writeHead(307, { location: "/elsewhere" }).end(),
    );

    await expect(post(hook.url)).rejects.toThrow(new Error("HTTP 307"));
    expect(hook.received).toHaveLength(1);
  });

  test("fails retryably when the receiver does not answer in time", async () => {
    const hook = await receiver(() => undefined);

    const failure = post(hook.url, {}, { timeoutMs: 200 });

    await expect(failure).rejects.toThrow(new RetryableJobError("no answer within 0.2 s"));
    await expect(failure).rejects.toBeInstanceOf(RetryableJobError);
  });

  test("fails retryably when nothing listens", async () => {
    const hook = await receiver(answer(200));
    await hook.close();

    const failure = post(hook.url);

    await expect(failure).rejects.toBeInstanceOf(RetryableJobError);
    await expect(failure).rejects.toThrow(/^network error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  test("rethrows the abort reason when its signal aborts", async () => {
    let arrived = () => {};
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const hook = await receiver(() => arrived());
    const controller = new AbortController();
    const cancelled = new Error("cancelled");

    const running = post(hook.url, { signal: controller.signal });
    await requestArrived;
    controller.abort(cancelled);

    await expect(running).rejects.toBe(cancelled);
  });

  test("reads at most 1 MiB of an answer, then stops reading", async () => {
    const hook = await receiver((res) => {
      res.writeHead(200);
      res.write("streaming forever\n");
      const more = () => {
        while (res.write("x".repeat(16 * 1024)));
      };
      res.on("drain", more);
      more();
    });
    const output = new RecordedOutput();

    await expect(post(hook.url, { output })).resolves.toEqual({ summary: "streaming forever" });
    const note = `\n[only the first ${RESPONSE_LIMIT_BYTES} bytes of the response were read]\n`;
    expect(output.text.endsWith(note)).toBe(true);
    expect(Buffer.byteLength(output.text) - note.length).toBe(RESPONSE_LIMIT_BYTES);
  });

  test("never shows the secret, nor a URL's password, in errors or logs", async () => {
    const lines: string[] = [];
    const log = pino({ level: "trace" }, { write: (line: string) => void lines.push(line) });
    const refused = await receiver(answer(401, "nope"));
    const silent = await receiver(() => undefined);
    const errors = await Promise.allSettled([
      post(refused.url, { log }),
      post(silent.url, { log }, { timeoutMs: 100 }),
      post("http://hook:p4ssw0rd@127.0.0.1:9/x", { log }),
    ]);

    const messages = errors.map((e) => (e.status === "rejected" ? String(e.reason) : "ok"));
    expect(messages).toEqual([
      "Error: HTTP 401: nope",
      "RetryableJobError: no answer within 0.1 s",
      "Error: the job's url holds credentials; fetch refuses to send them",
    ]);
    expect([...messages, ...lines].join("\n")).not.toMatch(/hook-secret-9f2c|p4ssw0rd/);
  });
});
