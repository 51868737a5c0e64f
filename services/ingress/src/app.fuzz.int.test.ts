import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth } from "@textops/testing";
import type { Express } from "express";
import fc from "fast-check";
import { aRun, storeRun, startTestIngress, test, type Cleanup } from "./testing/ingress-harness.js";

/*
 * Bad input at the edge: whatever arrives over HTTP, ingress answers 2xx or
 * 4xx, a 4xx is JSON with an `error`, and it keeps answering. Real RabbitMQ
 * and FerretDB behind it; no orchestrator, so an accepted text is a 202 after
 * the short reply timeout.
 */

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends exactly these headers and bytes (fetch would normalise or refuse some). */
function send(port: number, raw: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: raw.method, path: raw.path, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    req.on("error", reject);
    for (const [name, value] of Object.entries(raw.headers)) req.setHeader(name, value);
    if (raw.body) req.setHeader("content-length", raw.body.length);
    req.end(raw.body ?? undefined);
  });
}

async function listen(app: Express, cleanup: Cleanup): Promise<number> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, "127.0.0.1", () => resolve(started));
  });
  cleanup(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/** What a caller's x-correlation-id must look like to be kept (else a UUID replaces it). */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Mostly `usual`, now and then something else: enough ordinary requests to get past the parser. */
const mostly = <T>(usual: fc.Arbitrary<T>, ...others: fc.Arbitrary<T>[]) =>
  fc.oneof({ arbitrary: usual, weight: 3 * others.length }, ...others);
const rarely = <T>(value: fc.Arbitrary<T>) => mostly(fc.constant(undefined), value);

/** Characters Node lets a header value carry: tab, printable ASCII and Latin-1. */
const headerChar = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9))
  .map((code) => String.fromCharCode(code));
const headerValue = fc.string({ unit: headerChar, maxLength: 300 });

const contentType = mostly(
  fc.constant("application/json"),
  fc.constantFrom(
    "application/json; charset=utf-8",
    "application/json; charset=latin1",
    "application/json; charset=utf-16",
    "application/json; charset=",
    "application/JSON",
    "application/vnd.api+json",
    "application/json;;;",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "*/*",
  ),
  headerValue,
);

const headers = fc
  .record({
    "content-type": fc.option(contentType, { freq: 8 }),
    "content-encoding": rarely(
      fc.oneof(fc.constantFrom("gzip", "deflate", "br", "identity", "compress"), headerValue),
    ),
    "x-correlation-id": fc.option(fc.oneof(fc.stringMatching(ACCEPTABLE_ID), headerValue)),
    accept: rarely(headerValue),
    "x-fuzz": rarely(headerValue),
  })
  .map((all) => {
    const given: Record<string, string> = {};
    for (const [name, value] of Object.entries(all))
      if (typeof value === "string") given[name] = value;
    return given;
  });

const anyText = fc.string({ unit: "binary", maxLength: 300 });
const field = mostly(
  fc.string({ unit: "binary", minLength: 1, maxLength: 200 }),
  fc.constantFrom("", " ", "\ud800", "x".repeat(201), "x".repeat(4001)),
  fc.jsonValue({ maxDepth: 2 }),
);
/** Bodies shaped like the real one, a field now and then missing, wrong, too long or extra. */
const nearlyValid = fc
  .record(
    { from: field, conversation: field, body: field, providerMessageId: fc.option(field) },
    { requiredKeys: ["from", "conversation", "body"] },
  )
  .chain((value) =>
    rarely(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })).map(
      (extra) => ({ ...extra, ...value }),
    ),
  );

const bodies = mostly(
  nearlyValid.map((value) => Buffer.from(JSON.stringify(value))),
  fc.constant(null),
  fc.json({ maxDepth: 3 }).map((text) => Buffer.from(text)),
  anyText.map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 1000 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(
    Buffer.from(JSON.stringify({ from: "u", conversation: "u", body: "x".repeat(70_000) })),
  ),
);

const hexByte = fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, "0")}`);
/** A path segment: any text encoded, raw percent-escapes (maybe not UTF-8), or known oddities. */
const segment = fc.oneof(
  anyText.map(encodeURIComponent),
  fc.array(hexByte, { maxLength: 12 }).map((bytes) => bytes.join("")),
  fc.constantFrom("%", "%E0%A4%A", "%ZZ", "..", "%2e%2e", "%00", "K7Q2MX", "k7q2mx", "dev%3Auser1"),
);
const query = fc.option(
  segment.map((s) => `?q=${s}&${s}`),
  { nil: "" },
);

const inboundPaths = query.map((q) => `/dev/inbound${q}`);
const paths = fc.oneof(
  inboundPaths,
  fc.tuple(segment, query).map(([id, q]) => `/runs/${id}${q}`),
  fc.tuple(segment, query).map(([c, q]) => `/dev/conversations/${c}/messages${q}`),
  fc.constantFrom("/healthz", "/readyz", "/", "/runs", "/runs/", "/dev/conversations//messages"),
  fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
);

const methods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

/** 2xx or 4xx; a 4xx is JSON with an error; the correlation id is the caller's or a fresh one. */
function expectAnswered(request: RawRequest, response: RawResponse) {
  const context = `${request.method} ${request.path} → ${response.status} ${response.text}`;
  expect(response.status, context).toBeGreaterThanOrEqual(200);
  expect(response.status, context).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers["content-type"], context).toMatch(/^application\/json/);
    expect(JSON.parse(response.text), context).toMatchObject({
      error: expect.any(String) as unknown,
    });
  }
  const given = request.headers["x-correlation-id"]?.replace(/^[ \t]+|[ \t]+$/g, "");
  const echoed = response.headers["x-correlation-id"];
  if (given !== undefined && ACCEPTABLE_ID.test(given)) expect(echoed, context).toBe(given);
  else expect(echoed, context).toMatch(UUID);
}

describe("ingress under arbitrary HTTP input", () => {
  test("POST /dev/inbound: any body, content type and headers get a 2xx or a JSON 4xx", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      replyTimeoutMs: 20,
    });
    const port = await listen(ingress.app, cleanup);

    await fc.assert(
      fc.asyncProperty(inboundPaths, headers, bodies, async (path, h, body) => {
        const request = { method: "POST", path, headers: h, body };
        expectAnswered(request, await send(port, request));
      }),
      { numRuns: 300 },
    );

    const healthy = await send(port, { method: "GET", path: "/healthz", headers: {}, body: null });
    expect(healthy.status).toBe(200);
    const valid = Buffer.from(JSON.stringify({ from: "u1", conversation: "u1", body: "help" }));
    const accepted = await send(port, {
      method: "POST",
      path: "/dev/inbound",
      headers: { "content-type": "application/json" },
      body: valid,
    });
    expect(accepted.status).toBe(202);
  });

  test("every route and unknown ones: any method, path, headers and body get a 2xx or a JSON 4xx", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    await storeRun(mongo.db, aRun({ runId: "K7Q2MX" }));
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      replyTimeoutMs: 20,
    });
    const port = await listen(ingress.app, cleanup);

    await fc.assert(
      fc.asyncProperty(methods, paths, headers, bodies, async (method, path, h, body) => {
        const request = { method, path, headers: h, body };
        expectAnswered(request, await send(port, request));
      }),
      { numRuns: 500 },
    );

    const run = await send(port, { method: "GET", path: "/runs/k7q2mx", headers: {}, body: null });
    expect(run.status).toBe(200);
    const ready = await send(port, { method: "GET", path: "/readyz", headers: {}, body: null });
    expect(ready.status).toBe(200);
  });
});

describe("what the fuzzing found", () => {
  test("a text with half a surrogate pair is refused with 400 naming the field (it was a 500 after publishing)", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log, cleanup });
    const port = await listen(ingress.app, cleanup);
    const body = '{"from":"user1","conversation":"\\ud800","body":"run demo"}';

    const response = await send(port, {
      method: "POST",
      path: "/dev/inbound",
      headers: { "content-type": "application/json" },
      body: Buffer.from(body),
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({
      error: "invalid request",
      issues: [{ path: "conversation", message: "must be well-formed Unicode text" }],
    });
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
  });
});
