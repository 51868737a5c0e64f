import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How an HTTP job's receiver knows a POST came from TextOps, recently, with
 * this very body. TextOps sends
 *
 *     X-TextOps-Timestamp: <unix seconds>
 *     X-TextOps-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *
 * Without this module: compute the HMAC of `timestamp + "." + body` over the
 * bytes received, compare it in constant time with the hex after `v1=`, and
 * refuse timestamps more than five minutes away, so that a captured request
 * cannot be replayed later.
 */
export const TIMESTAMP_HEADER = "X-TextOps-Timestamp";
export const SIGNATURE_HEADER = "X-TextOps-Signature";

/** The `X-TextOps-Signature` value for a body sent at `timestamp` (unix seconds). */
export function signHttpBody(secret: string, timestamp: number, body: string | Uint8Array): string {
  return sign(secret, String(timestamp), body);
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Request headers as fetch's `Headers` or Node's `req.headers` (lower-case names) hold them. */
export type ReceivedHeaders =
  Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Whether `body` is what TextOps signed, and signed within `toleranceSeconds`
 * of `now`. A receiver checks the exact bytes it received, before parsing:
 *
 *     const body = await rawBody(req); // a Buffer, not yet JSON.parse'd
 *     const check = verifyHttpSignature(secret, req.headers, body, new Date());
 *     if (!check.ok) return res.writeHead(401).end(check.reason);
 *     const run = JSON.parse(body.toString("utf8"));
 *     // then do the work once per Idempotency-Key (`<runId>:<attempt>`)
 */
export function verifyHttpSignature(
  secret: string,
  headers: ReceivedHeaders,
  body: string | Uint8Array,
  now: Date,
  toleranceSeconds = 300,
): SignatureCheck {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (timestamp === undefined || signature === undefined) {
    return { ok: false, reason: "the request is not signed" };
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    return { ok: false, reason: "the timestamp is not a number of seconds" };
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: `the timestamp is more than ${toleranceSeconds} s away` };
  }
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "the signature does not match" };
  }
  return { ok: true };
}

/** Signs the timestamp as the text sent, so `0012` and `12` are different messages. */
function sign(secret: string, timestamp: string, body: string | Uint8Array): string {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.`).update(body);
  return `v1=${hmac.digest("hex")}`;
}

function header(headers: ReceivedHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name.toLowerCase()];
  return typeof value === "string" ? value : undefined; // a repeated header is refused
}
