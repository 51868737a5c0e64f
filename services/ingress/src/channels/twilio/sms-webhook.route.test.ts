import type { InboundMessage } from "@textops/contracts";
import express from "express";
import request from "supertest";
import { describe, expect, test } from "vitest";
import { errorHandler } from "../../adapters/http/errors.js";
import { correlation, requestLogging } from "../../adapters/http/request-context.js";
import { BrokerUnavailable, type InboundGateway, type InboundIds } from "../../ports.js";
import { aCapturingLogger } from "../../testing/ingress-harness.js";
import { inMemorySmsOptOuts } from "./opt-out.store.js";
import { twilioSmsRoute } from "./sms-webhook.route.js";
import { getExpectedTwilioSignature } from "./twilio-sdk.js";

const AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
const BASE_URL = "https://textops.example.com";
const WEBHOOK_URL = `${BASE_URL}/channels/twilio/sms`;
const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const FROM = "+15551230001";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What the SDK's MessagingResponse makes of no reply. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** A webhook form as Twilio posts it, with the fields TextOps does not read. */
function aForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: "US",
    SmsMessageSid: "SM0123456789abcdef0123456789abcdef",
    NumMedia: "0",
    MessageSid: "SM0123456789abcdef0123456789abcdef",
    AccountSid: `AC${"0".repeat(32)}`,
    From: FROM,
    To: "+15551230000",
    Body: "run demo env=staging",
    NumSegments: "1",
    ApiVersion: "2010-04-01",
    ...fields,
  };
}

const signed = (form: Record<string, string>, url = WEBHOOK_URL, token = AUTH_TOKEN) =>
  getExpectedTwilioSignature(token, url, form);

/** A gateway that records what is published, or fails as the broker would. */
function aRecordingGateway(failure?: Error) {
  const published: { message: InboundMessage; ids: InboundIds }[] = [];
  const gateway: InboundGateway = {
    send: () => Promise.reject(new Error("the SMS webhook never waits for a reply")),
    publish: (message, ids) => {
      if (failure) return Promise.reject(failure);
      published.push({ message, ids });
      return Promise.resolve();
    },
  };
  return { gateway, published };
}

/** The route as the app mounts it, behind the app's correlation and logging. */
function aWebhook(options: { failure?: Error } = {}) {
  const { gateway, published } = aRecordingGateway(options.failure);
  const optOuts = inMemorySmsOptOuts();
  const { log, lines } = aCapturingLogger("debug");
  const app = express()
    .use(correlation())
    .use(requestLogging(log))
    .use(
      twilioSmsRoute({
        gateway,
        optOuts,
        authToken: AUTH_TOKEN,
        publicBaseUrl: BASE_URL,
        clock: () => NOW,
      }),
    )
    .use(errorHandler);
  const post = (
    form: Record<string, string>,
    signature: string | null = signed(form),
    headers: Record<string, string> = {},
  ) => {
    const req = request(app).post("/channels/twilio/sms").type("form").set(headers);
    if (signature !== null) void req.set("X-Twilio-Signature", signature);
    return req.send(form);
  };
  return { post, published, optOuts, lines };
}

describe(twilioSmsRoute.name, () => {
  test("publishes a signed text once as an InboundMessage and answers empty TwiML", async () => {
    const webhook = aWebhook();

    const response = await webhook.post(aForm());

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/xml/);
    expect(response.text).toBe(EMPTY_TWIML);
    expect(webhook.published).toEqual([
      {
        message: {
          channelId: "sms",
          providerMessageId: "SM0123456789abcdef0123456789abcdef",
          from: FROM,
          conversation: FROM,
          body: "run demo env=staging",
          receivedAt: "2024-01-01T12:00:00.000Z",
        },
        ids: {
          correlationId: response.headers["x-correlation-id"],
          messageId: expect.stringMatching(UUID) as unknown,
        },
      },
    ]);
  });

  test.each([
    ["a wrong signature", signed(aForm(), WEBHOOK_URL, "another-token")],
    ["no signature", null],
    [
      "a signature over another URL",
      signed(aForm(), "https://evil.example.com/channels/twilio/sms"),
    ],
    ["an empty signature", ""],
  ])("refuses %s with 403, publishes nothing, and logs no signature", async (_name, signature) => {
    const webhook = aWebhook();

    const response = await webhook.post(aForm(), signature);

    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: "invalid signature" });
    expect(webhook.published).toEqual([]);
    expect(webhook.lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/^Twilio webhook refused/) as unknown,
      }),
    );
    if (signature) expect(JSON.stringify(webhook.lines())).not.toContain(signature);
  });

  test("refuses a signed form whose values were changed on the way", async () => {
    const webhook = aWebhook();
    const form = aForm();

    const response = await webhook.post({ ...form, Body: "run deploy env=prod" }, signed(form));

    expect(response.status).toBe(403);
    expect(webhook.published).toEqual([]);
  });

  test("rebuilds the signed URL from PUBLIC_BASE_URL, never from Host", async () => {
    const webhook = aWebhook();
    const form = aForm();
    const host = { Host: "attacker.example.com" };

    const overHost = await webhook.post(
      form,
      signed(form, "http://attacker.example.com/channels/twilio/sms"),
      host,
    );
    const overPublicUrl = await webhook.post(form, signed(form), host);

    expect(overHost.status).toBe(403);
    expect(overPublicUrl.status).toBe(200);
    expect(webhook.published).toHaveLength(1);
  });

  test("refuses a signed form that is not an SMS webhook with 400, naming the fields", async () => {
    const webhook = aWebhook();
    const form = aForm({ From: "user1", MessageSid: "" });

    const response = await webhook.post(form);

    expect(response.status).toBe(400);
    const { issues } = response.body as { issues: { path: string }[] };
    expect(issues.map((issue) => issue.path).sort()).toEqual(["From", "MessageSid"]);
    expect(webhook.published).toEqual([]);
  });

  test.each(["STOP", "stop", " Unsubscribe ", "cancel"])(
    "%j records an opt-out and publishes nothing",
    async (body) => {
      const webhook = aWebhook();

      const response = await webhook.post(aForm({ Body: body }));

      expect(response.status).toBe(200);
      expect(response.text).toBe(EMPTY_TWIML);
      expect(await webhook.optOuts.isOptedOut(FROM)).toBe(true);
      expect(webhook.published).toEqual([]);
    },
  );

  test.each(["START", "yes", "UNSTOP"])(
    "%j records an opt-in and publishes nothing, so a bare YES approves nothing",
    async (body) => {
      const webhook = aWebhook();
      await webhook.optOuts.optOut(FROM, new Date(NOW - 1000));

      const response = await webhook.post(aForm({ Body: body }));

      expect(response.status).toBe(200);
      expect(await webhook.optOuts.isOptedOut(FROM)).toBe(false);
      expect(webhook.published).toEqual([]);
    },
  );

  test("honours Twilio's OptOutType for a keyword of an Advanced Opt-Out list", async () => {
    const webhook = aWebhook();

    await webhook.post(aForm({ Body: "arret", OptOutType: "STOP" }));

    expect(await webhook.optOuts.isOptedOut(FROM)).toBe(true);
    expect(webhook.published).toEqual([]);
  });

  test.each(["HELP", "info"])("%j is published as help", async (body) => {
    const webhook = aWebhook();

    const response = await webhook.post(aForm({ Body: body }));

    expect(response.status).toBe(200);
    expect(webhook.published.map((p) => p.message.body)).toEqual(["help"]);
  });

  test("a command with its run id is published as it was sent", async () => {
    const webhook = aWebhook();

    await webhook.post(aForm({ Body: "yes K7Q2MX" }));

    expect(webhook.published.map((p) => p.message.body)).toEqual(["yes K7Q2MX"]);
    expect(await webhook.optOuts.isOptedOut(FROM)).toBe(false);
  });

  test("answers 503 when the broker does not take the message, so Twilio retries", async () => {
    const webhook = aWebhook({ failure: new BrokerUnavailable("no confirm") });

    const response = await webhook.post(aForm());

    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: "message broker unavailable" });
  });

  test("an unexpected failure is a generic 500", async () => {
    const webhook = aWebhook({ failure: new Error("bug") });

    const response = await webhook.post(aForm());

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: "internal error" });
  });
});
