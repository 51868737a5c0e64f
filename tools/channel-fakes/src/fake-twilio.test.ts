import { afterEach, describe, expect, test } from "vitest";
import { startFakeTwilio, type FakeTwilio } from "./fake-twilio.js";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const AUTH_TOKEN = "fake-twilio-token";
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let fake: FakeTwilio | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function create(
  fields: Record<string, string>,
  authorization = basic(ACCOUNT_SID, AUTH_TOKEN),
) {
  fake ??= await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  return fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

describe(startFakeTwilio.name, () => {
  test("accepts a message like Twilio, 201 with its resource, and records it", async () => {
    const response = await create({ To: "+15551230001", From: "+15551230000", Body: "hi" });

    expect(response.status).toBe(201);
    const resource = (await response.json()) as Record<string, unknown>;
    expect(resource).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) as unknown,
      status: "queued",
      to: "+15551230001",
      from: "+15551230000",
      body: "hi",
      account_sid: ACCOUNT_SID,
    });
    expect(fake?.sent()).toEqual([
      { sid: resource.sid, to: "+15551230001", from: "+15551230000", body: "hi" },
    ]);
  });

  test("refuses wrong credentials with 401 and Twilio's error body", async () => {
    const response = await create(
      { To: "+15551230001", From: "+15551230000", Body: "hi" },
      basic(ACCOUNT_SID, "wrong"),
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 20003,
      message: "Authenticate",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    });
    expect(fake?.sent()).toEqual([]);
  });

  test("fails the next requests as told, with Retry-After, then sends again", async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    fake.failNext(1, { status: 429, message: "Too Many Requests", retryAfterSeconds: 7 });
    const sms = { To: "+15551230001", From: "+15551230000", Body: "hi" };

    const refused = await create(sms);
    const accepted = await create(sms);

    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("7");
    expect(await refused.json()).toMatchObject({ code: 20429, message: "Too Many Requests" });
    expect(accepted.status).toBe(201);
    expect(fake.calls()).toBe(2);
  });

  test("refuses a body over 1600 characters, as Twilio does (21617)", async () => {
    const response = await create({
      To: "+15551230001",
      From: "+15551230000",
      Body: "x".repeat(1601),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 21617 });
  });
});
