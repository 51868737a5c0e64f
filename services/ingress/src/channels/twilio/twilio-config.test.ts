import { configLoader } from "@textops/runtime";
import { describe, expect, test } from "vitest";
import { twilioSettings, twilioVariables } from "./twilio-config.js";

const load = configLoader(twilioVariables);
const SID = `AC${"0a".repeat(16)}`;
const TOKEN = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const complete = {
  TWILIO_ACCOUNT_SID: SID,
  TWILIO_AUTH_TOKEN: TOKEN,
  TWILIO_FROM: "+15551230000",
  PUBLIC_BASE_URL: "https://textops.example.com/",
};

describe(twilioSettings.name, () => {
  test("is on with every variable set, defaults filled and trailing slashes dropped", () => {
    expect(twilioSettings(load(complete))).toEqual({
      on: true,
      accountSid: SID,
      authToken: TOKEN,
      from: "+15551230000",
      publicBaseUrl: "https://textops.example.com",
      apiUrl: "https://api.twilio.com",
      ratePerSecond: 1,
    });
  });

  test("takes a Messaging Service SID as the sender, and a rate", () => {
    const from = `MG${"b".repeat(32)}`;
    const settings = twilioSettings(
      load({ ...complete, TWILIO_FROM: from, TWILIO_RATE_PER_SECOND: "10" }),
    );
    expect(settings).toMatchObject({ on: true, from, ratePerSecond: 10 });
  });

  test("is off, naming what is missing, while any required variable is unset or empty", () => {
    expect(twilioSettings(load({}))).toEqual({
      on: false,
      missing: ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "PUBLIC_BASE_URL"],
    });
    expect(twilioSettings(load({ ...complete, TWILIO_AUTH_TOKEN: "" }))).toEqual({
      on: false,
      missing: ["TWILIO_AUTH_TOKEN"],
    });
  });

  test.each([
    ["TWILIO_ACCOUNT_SID", "SK0123"],
    ["TWILIO_FROM", "5551230000"],
    ["PUBLIC_BASE_URL", "ftp://textops.example.com"],
    ["PUBLIC_BASE_URL", "https://textops.example.com/?x=1"],
    ["TWILIO_RATE_PER_SECOND", "0"],
  ])("refuses a bad %s, naming it", (name, value) => {
    expect(() => load({ ...complete, [name]: value })).toThrow(name);
  });

  test("a bad auth token is named, its value never shown", () => {
    const secret = "has a space in it";
    expect(() => load({ ...complete, TWILIO_AUTH_TOKEN: secret })).toThrow("TWILIO_AUTH_TOKEN");
    try {
      load({ ...complete, TWILIO_AUTH_TOKEN: secret });
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});
