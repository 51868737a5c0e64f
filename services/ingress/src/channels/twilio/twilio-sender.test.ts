import type { OutboundMessage } from "@textops/contracts";
import { startFakeTwilio, type FakeTwilio } from "@textops/channel-fakes";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DeliveryDeferred, DeliveryRefused } from "../channel-sender.js";
import { TokenBucket } from "../token-bucket.js";
import { inMemorySmsOptOuts } from "./opt-out.store.js";
import type { TwilioSettings } from "./twilio-config.js";
import { createTwilioSender, smsRate, type TwilioSenderDeps } from "./twilio-sender.js";

const ACCOUNT_SID = `AC${"5".repeat(32)}`;
const AUTH_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const FROM = "+15551230000";
const TO = "+15551230001";
const SERVICE = `MG${"c".repeat(32)}`;
const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const SID = /^SM[0-9a-f]{32}$/;

function aMessage(fields: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channelId: "sms",
    conversation: `sms:${TO}`,
    body: 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.',
    correlationId: "K7Q2MX",
    idempotencyKey: "approval-request:K7Q2MX",
    ...fields,
  };
}

let fake: FakeTwilio;
beforeEach(async () => {
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
});
afterEach(() => fake.close());

/** A sender on the fake, with in-memory opt-outs and no waiting between parts. */
function aSender(settings: Partial<TwilioSettings> = {}, deps: Partial<TwilioSenderDeps> = {}) {
  const optOuts = inMemorySmsOptOuts();
  const sender = createTwilioSender(
    {
      on: true,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: FROM,
      publicBaseUrl: "https://textops.example.com",
      apiUrl: fake.url,
      ratePerSecond: 1,
      ...settings,
    },
    { optOuts, clock: () => NOW, pace: { take: () => Promise.resolve() }, ...deps },
  );
  return { sender, optOuts };
}

/** What `send` threw. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the send to fail");
    },
    (error: unknown) => error,
  );
}

describe(createTwilioSender.name, () => {
  test("texts the conversation's number from TWILIO_FROM and returns Twilio's sid", async () => {
    const { sender } = aSender();

    const copy = await sender.send(aMessage());

    expect(sender.channelId).toBe("sms");
    expect("edit" in sender).toBe(false);
    expect(fake.sent()).toEqual([
      {
        sid: expect.stringMatching(SID) as unknown,
        to: TO,
        from: FROM,
        body: 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.',
      },
    ]);
    expect(copy).toEqual({ providerMessageIds: [fake.sent()[0]?.sid] });
  });

  test("sends through the Messaging Service when TWILIO_FROM is an MG SID", async () => {
    const { sender } = aSender({ from: SERVICE });

    await sender.send(aMessage());

    expect(fake.sent()).toEqual([
      expect.objectContaining({ to: TO, messagingServiceSid: SERVICE }),
    ]);
    expect(fake.sent()[0]?.from).toBeUndefined();
  });

  test("sends a long text as several parts split between words, returning every sid", async () => {
    const { sender } = aSender();
    const body = Array.from({ length: 400 }, (_, i) => `line${i}`).join(" ");

    const copy = await sender.send(aMessage({ body }));

    const sent = fake.sent();
    expect(sent.length).toBe(2);
    for (const part of sent) expect(part.body.length).toBeLessThanOrEqual(1600);
    expect(sent.map((part) => part.body).join(" ")).toBe(body);
    expect(copy.providerMessageIds).toEqual(sent.map((part) => part.sid));
  });

  test("429 with Retry-After is deferred for that long", async () => {
    const { sender } = aSender();
    fake.failNext(1, {
      status: 429,
      code: 20429,
      message: "Too Many Requests",
      retryAfterSeconds: 7,
    });

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toBeInstanceOf(DeliveryDeferred);
    expect(error).toMatchObject({ retryAfterMs: 7000 });
    expect((error as Error).message).toMatch(/Twilio 429 \(code 20429\)/);
  });

  test("429 without Retry-After is deferred by a default second", async () => {
    const { sender } = aSender();
    fake.failNext(1, { status: 429 });

    expect(await failureOf(sender.send(aMessage()))).toMatchObject({
      name: "DeliveryDeferred",
      retryAfterMs: 1000,
    });
  });

  test.each([500, 503])("%i is deferred", async (status) => {
    const { sender } = aSender();
    fake.failNext(1, { status, code: 20500, message: "Internal Server Error" });

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toBeInstanceOf(DeliveryDeferred);
    expect((error as DeliveryDeferred).retryAfterMs).toBeUndefined();
  });

  test("another 400 is refused with Twilio's status, code and message", async () => {
    const { sender } = aSender();
    fake.failNext(1, { status: 400, code: 21211, message: "Invalid 'To' Phone Number" });

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toBeInstanceOf(DeliveryRefused);
    expect(error).toMatchObject({
      kind: "refused",
      reason: "Twilio 400 (code 21211): Invalid 'To' Phone Number",
    });
  });

  test("21610 is refused as opted out, and the number is recorded as opted out", async () => {
    const { sender, optOuts } = aSender();
    fake.failNext(1, {
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toBeInstanceOf(DeliveryRefused);
    expect(error).toMatchObject({ kind: "opted-out", reason: "opted out" });
    expect(await optOuts.isOptedOut(TO)).toBe(true);
  });

  test("an opted-out number is refused without calling Twilio", async () => {
    const { sender, optOuts } = aSender();
    await optOuts.optOut(TO, new Date(NOW - 1000));

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toMatchObject({ name: "DeliveryRefused", kind: "opted-out" });
    expect(fake.calls()).toBe(0);
  });

  test("a conversation that is no phone number is refused without a call", async () => {
    const { sender } = aSender();

    const error = await failureOf(sender.send(aMessage({ conversation: "sms:user1" })));

    expect(error).toBeInstanceOf(DeliveryRefused);
    expect(fake.calls()).toBe(0);
  });

  test("Twilio out of reach is deferred", async () => {
    const { sender } = aSender({ apiUrl: "http://127.0.0.1:1" });

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toBeInstanceOf(DeliveryDeferred);
    expect((error as Error).message).toMatch(/^Twilio unreachable: ECONNREFUSED/);
  });

  test("wrong credentials are refused, and no error text holds the auth token", async () => {
    const { sender } = aSender({ authToken: "not-the-token-of-this-account" });

    const error = await failureOf(sender.send(aMessage()));

    expect(error).toMatchObject({
      name: "DeliveryRefused",
      reason: "Twilio 401 (code 20003): Authenticate",
    });
    expect(JSON.stringify(error)).not.toContain("not-the-token-of-this-account");
    expect(String(error)).not.toContain("not-the-token-of-this-account");
  });

  test("an error text that quotes the token gets it redacted", async () => {
    const { sender } = aSender();
    fake.failNext(1, { status: 400, code: 20001, message: `bad credentials ${AUTH_TOKEN}` });

    const error = await failureOf(sender.send(aMessage()));

    expect((error as Error).message).toBe("Twilio 400 (code 20001): bad credentials [redacted]");
  });

  test("paces the parts at TWILIO_RATE_PER_SECOND for the sending number", async () => {
    let now = NOW;
    const sleeps: number[] = [];
    const bucket = new TokenBucket(
      smsRate(1),
      () => now,
      (ms) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    );
    const keys: string[] = [];
    const sentAt: number[] = [];
    const { sender } = aSender(
      {},
      {
        clock: () => now,
        pace: {
          take: async (key) => {
            keys.push(key);
            await bucket.take();
            sentAt.push(now);
          },
        },
      },
    );
    const body = Array.from({ length: 700 }, () => "word").join(" ");

    await sender.send(aMessage({ body }));

    expect(fake.sent()).toHaveLength(3);
    expect(keys).toEqual([FROM, FROM, FROM]);
    expect(sentAt).toEqual([NOW, NOW + 1000, NOW + 2000]);
    expect(sleeps).toEqual([1000, 1000]);
  });

  test("a rate below one a second still lets a message go", () => {
    expect(smsRate(0.5)).toEqual({ perInterval: 0.5, intervalMs: 1000, burst: 1 });
    expect(smsRate(10)).toEqual({ perInterval: 10, intervalMs: 1000, burst: 10 });
  });
});
