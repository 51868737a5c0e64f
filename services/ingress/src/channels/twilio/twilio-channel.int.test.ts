import { startFakeTwilio } from "@textops/channel-fakes";
import { describe, expect, test } from "@textops/testing";
import express from "express";
import request from "supertest";
import type { InboundGateway } from "../../ports.js";
import { createSmsOptOutStore } from "./opt-out.store.js";
import { twilioSmsRoute } from "./sms-webhook.route.js";
import type { TwilioSettings } from "./twilio-config.js";
import { getExpectedTwilioSignature } from "./twilio-sdk.js";
import { createTwilioSender } from "./twilio-sender.js";

const ACCOUNT_SID = `AC${"7".repeat(32)}`;
const AUTH_TOKEN = "00112233445566778899aabbccddeeff";
const BASE_URL = "https://textops.example.com";
const NUMBER = "+15551230001";
const noGateway: InboundGateway = {
  send: () => Promise.reject(new Error("not used")),
  publish: () => Promise.reject(new Error("a keyword is never published")),
};

/** A notice the orchestrator sends after a run. */
const notice = {
  channelId: "sms",
  conversation: `sms:${NUMBER}`,
  body: "Run K7Q2MX succeeded.",
  correlationId: "K7Q2MX",
  idempotencyKey: "run-finished:K7Q2MX",
};

const settingsOn = (apiUrl: string): TwilioSettings => ({
  on: true,
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  from: "+15551230000",
  publicBaseUrl: BASE_URL,
  apiUrl,
  ratePerSecond: 100,
});

describe("the Twilio SMS channel on the Mongo opt-out store", () => {
  test("STOP by webhook silences the sender; START lets it text again", async ({ mongo }) => {
    const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    try {
      let now = Date.UTC(2024, 0, 1, 12, 0, 0);
      const clock = () => now;
      const optOuts = createSmsOptOutStore(mongo.db);
      const app = express().use(
        twilioSmsRoute({
          gateway: noGateway,
          optOuts,
          authToken: AUTH_TOKEN,
          publicBaseUrl: BASE_URL,
          clock,
        }),
      );
      const sender = createTwilioSender(settingsOn(fake.url), { optOuts, clock });
      const text = async (body: string) => {
        const form = {
          MessageSid: `SM${"a".repeat(31)}${body.length}`,
          From: NUMBER,
          To: "+15551230000",
          Body: body,
        };
        const signature = getExpectedTwilioSignature(
          AUTH_TOKEN,
          `${BASE_URL}/channels/twilio/sms`,
          form,
        );
        const response = await request(app)
          .post("/channels/twilio/sms")
          .type("form")
          .set("X-Twilio-Signature", signature)
          .send(form);
        expect(response.status).toBe(200);
        now += 1000;
      };

      await text("STOP");
      await expect(sender.send(notice)).rejects.toMatchObject({ kind: "opted-out" });
      expect(fake.calls()).toBe(0);

      await text("START");
      const copy = await sender.send(notice);
      expect(copy.providerMessageIds).toHaveLength(1);
      expect(fake.sent().map((sms) => sms.to)).toEqual([NUMBER]);
    } finally {
      await fake.close();
    }
  });

  test("a 21610 from Twilio is kept in the store for the next notice", async ({ mongo }) => {
    const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    try {
      const optOuts = createSmsOptOutStore(mongo.db);
      const sender = createTwilioSender(settingsOn(fake.url), { optOuts });
      fake.failNext(1, {
        status: 400,
        code: 21610,
        message: "Attempt to send to unsubscribed recipient",
      });

      await expect(sender.send(notice)).rejects.toMatchObject({ kind: "opted-out" });
      await expect(sender.send(notice)).rejects.toMatchObject({ kind: "opted-out" });

      expect(fake.calls()).toBe(1);
      expect(await createSmsOptOutStore(mongo.db).isOptedOut(NUMBER)).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
