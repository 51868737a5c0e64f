import { describe, expect, test } from "vitest";
import { signHttpBody, verifyHttpSignature } from "./http-signature.js";

const secret = "hook-secret";
const body = '{"runId":"RUN234","attempt":1}';
const sentAt = 1_750_000_000;
const now = new Date(sentAt * 1000 + 2_000);

const signed = (signature = signHttpBody(secret, sentAt, body), timestamp = String(sentAt)) => ({
  "x-textops-timestamp": timestamp,
  "x-textops-signature": signature,
});

describe(verifyHttpSignature.name, () => {
  test("accepts what was signed with the secret, from Node's headers or fetch's", () => {
    expect(verifyHttpSignature(secret, signed(), body, now)).toEqual({ ok: true });
    expect(verifyHttpSignature(secret, new Headers(signed()), Buffer.from(body), now)).toEqual({
      ok: true,
    });
  });

  test("signs as v1=<hex HMAC-SHA256 of '<timestamp>.<body>'>", () => {
    expect(signHttpBody(secret, sentAt, body)).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(signHttpBody(secret, sentAt, body)).toBe(
      signHttpBody(secret, sentAt, Buffer.from(body)),
    );
  });

  test("refuses a tampered body", () => {
    const tampered = body.replace("RUN234", "RUN235");

    expect(verifyHttpSignature(secret, signed(), tampered, now)).toEqual({
      ok: false,
      reason: "the signature does not match",
    });
  });

  test("refuses a body signed with another secret", () => {
    const forged = signed(signHttpBody("guessed", sentAt, body));

    expect(verifyHttpSignature(secret, forged, body, now).ok).toBe(false);
  });

  test("refuses a signature moved to another timestamp", () => {
    const moved = signed(undefined, String(sentAt + 1));

    expect(verifyHttpSignature(secret, moved, body, now).ok).toBe(false);
    expect(verifyHttpSignature(secret, signed(undefined, `00${sentAt}`), body, now).ok).toBe(false);
  });

  test("refuses a request signed too long ago, or in the future", () => {
    const later = new Date((sentAt + 301) * 1000);
    const earlier = new Date((sentAt - 301) * 1000);

    expect(verifyHttpSignature(secret, signed(), body, later)).toEqual({
      ok: false,
      reason: "the timestamp is more than 300 s away",
    });
    expect(verifyHttpSignature(secret, signed(), body, earlier).ok).toBe(false);
    expect(verifyHttpSignature(secret, signed(), body, later, 600)).toEqual({ ok: true });
  });

  test.each([
    ["no headers", {}, "the request is not signed"],
    ["no signature", { "x-textops-timestamp": String(sentAt) }, "the request is not signed"],
    [
      "a timestamp that is no number",
      signed(undefined, "soon"),
      "the timestamp is not a number of seconds",
    ],
    ["a signature of another shape", signed("v1=abc"), "the signature does not match"],
    [
      "a repeated signature",
      { ...signed(), "x-textops-signature": ["v1=a", "v1=b"] },
      "the request is not signed",
    ],
  ])("refuses %s", (_case, headers, reason) => {
    expect(verifyHttpSignature(secret, headers, body, now)).toEqual({ ok: false, reason });
  });
});
