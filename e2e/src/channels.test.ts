import { QUEUES } from "@textops/contracts";
import { afterAll } from "vitest";
import { describe, expect, queueDepth, vi } from "@textops/testing";
import { startFakeTelegram, startFakeTwilio } from "@textops/channel-fakes";
import { smsPhone, telegramUser } from "./channel-clients.js";
import { catalogFile } from "./catalog-file.js";
import { fakeInboxes, noticesOf, telegramButtons } from "./fake-inboxes.js";
import { smsAndTelegramEnv } from "./channel-env.js";
import { testWithOneSystem } from "./fixtures.js";
import { devClient } from "./http-client.js";
import { E2E_DISPATCH_SECRET } from "./system.js";
import { writeUsersFile } from "./users-file.js";

/*
 * Twilio SMS and Telegram through the processes: ingress's webhooks called as
 * the providers call them (signed, with the secret token), its replies sent
 * through the official SDKs to local fakes of the providers' APIs, and the
 * runs decided by people of a directory, some on Telegram, some on SMS.
 */

const TWILIO = {
  accountSid: `AC${"e2e0".repeat(8)}`,
  authToken: "e2e-twilio-auth-token-3f9c1b",
  from: "+15551230000",
  publicBaseUrl: "https://textops.e2e.example",
};
const TELEGRAM = {
  token: "424242:e2e-telegram-bot-token-8d2e",
  webhookSecret: "e2e-telegram-webhook-secret-51ab",
};

const [ALICE, BOB] = [1001, 1002];
const CAROL = "+15551230003";

const people = writeUsersFile({
  alice: { name: "Alice", roles: ["dev"], addresses: [`telegram:${ALICE}`] },
  bob: { name: "Bob", roles: ["ops"], addresses: [`telegram:${BOB}`] },
  carol: { name: "Carol", roles: ["ops"], addresses: [`sms:${CAROL}`] },
  root: { name: "Root", roles: ["admin"], addresses: ["dev:root"] },
});

const jobs = catalogFile({
  release: {
    description: "Release a version",
    parameters: "{ version: { type: string, required: true } }",
    approval: "{ approvers: { users: [bob, carol] } }",
  },
  ship: { description: "Ship the build", approval: "{ approvers: { users: [carol] } }" },
});

const twilio = await startFakeTwilio({
  accountSid: TWILIO.accountSid,
  authToken: TWILIO.authToken,
});
const telegram = await startFakeTelegram({ token: TELEGRAM.token });
afterAll(() => Promise.all([twilio.close(), telegram.close()]));

const test = testWithOneSystem({
  workers: 1,
  usersFile: people.path,
  jobsFile: jobs,
  logLevel: "debug",
  ingressEnv: {
    ...smsAndTelegramEnv(
      { ...TWILIO, apiUrl: twilio.url },
      { ...TELEGRAM, apiRoot: telegram.apiRoot },
    ),
  },
})
  .extend("client", { scope: "file" }, ({ system }) =>
    devClient(system.baseUrl, { apiToken: people.adminToken }),
  )
  .extend("phones", { scope: "file" }, ({ system }) => {
    const settings = { ...TWILIO, baseUrl: system.baseUrl, to: TWILIO.from };
    const webhook = { baseUrl: system.baseUrl, webhookSecret: TELEGRAM.webhookSecret };
    return {
      alice: telegramUser(webhook, ALICE, "Alice"),
      bob: telegramUser(webhook, BOB, "Bob"),
      carol: smsPhone(settings, CAROL),
    };
  });

const { untilSms, untilTelegram } = fakeInboxes({ twilio, telegram });

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Alice asks on Telegram; the run's id, from what she is told. */
async function aliceAsks(phones: { alice: ReturnType<typeof telegramUser> }, text: string) {
  const before = new Set(telegram.messages(ALICE).map((m) => m.message_id));
  const sent = await phones.alice.text(text);
  expect(sent.status).toBe(200);
  const told = await untilTelegram(
    ALICE,
    (t) => t.includes("waits for approval") && !before.has(idOf(t)),
  );
  const runId = /^Run (\w+) /.exec(told.text)?.[1];
  if (!runId) throw new Error(`no run id in ${told.text}`);
  return runId;

  function idOf(t: string) {
    return telegram.messages(ALICE).find((m) => m.text === t)?.message_id ?? -1;
  }
}

describe("Twilio SMS and Telegram, end to end", () => {
  test.beforeAll(async ({ client }) => {
    expect(await client.messages("dev:root")).toEqual([]);
  });

  test("a run asked for on Telegram is approved with a button: the press is answered, the request loses its buttons, and a late yes on SMS is told it is decided", async ({
    client,
    phones,
  }) => {
    await phones.alice.text("run release version=v1.0.0");
    const request = await untilTelegram(BOB, (t) =>
      t.startsWith('Alice asks to run job "release"'),
    );
    const runId = /run (\w+)\./.exec(request.text)?.[1] ?? "";
    expect(telegramButtons(request)).toEqual([
      { text: "Approve", callback_data: `yes ${runId}` },
      { text: "Deny", callback_data: `no ${runId}` },
    ]);
    await untilSms(CAROL, (body) => body.includes(`Reply YES ${runId}`));

    const press = await phones.bob.press(request.message_id, `yes ${runId}`);
    expect(press.status).toBe(200);

    const answered = telegram
      .calls("answerCallbackQuery")
      .find((c) => c.params.callback_query_id === press.update.callback_query.id);
    expect(answered?.params.text).toMatch(/approved/i);
    await client.untilStatus(runId, "Succeeded");
    await untilTelegram(ALICE, (t) => t.startsWith(`Run ${runId} succeeded`));
    const edited = await untilTelegram(BOB, (t) => t.includes(runId) && /Approved by Bob/.test(t));
    expect(edited.message_id).toBe(request.message_id);
    expect(telegramButtons(edited)).toEqual([]);

    // Carol's SMS copy cannot be edited; her yes, arriving late, changes nothing.
    const late = await phones.carol.text(`yes ${runId}`);
    expect(late).toMatchObject({ status: 200, body: EMPTY_TWIML });
    await untilSms(CAROL, (body) => body.startsWith(`Run ${runId} was already approved by `));

    // Telegram sends the press again (its first call, it thinks, failed): no second effect.
    expect(await phones.bob.replay(press.update)).toBe(200);
    const view = await client.run(runId);
    expect(view.events.filter((e) => e.type === "RunApproved")).toHaveLength(1);
    expect(noticesOf(view, "NoticeDelivered").map((n) => [n.idempotencyKey, n.channelId])).toEqual(
      expect.arrayContaining([
        [`approval-request:${runId}:bob`, "telegram"],
        [`approval-request:${runId}:carol`, "sms"],
      ]),
    );
    await vi.waitFor(async () =>
      expect(noticesOf(await client.run(runId), "NoticeEdited")).toContainEqual(
        expect.objectContaining({ channelId: "telegram" }),
      ),
    );
  });

  test("an approver on SMS approves a run asked for on Telegram; Twilio retrying her text has no second effect", async ({
    client,
    phones,
  }) => {
    const runId = await aliceAsks(phones, "run ship");
    await untilSms(CAROL, (body) => body.includes(`Reply YES ${runId}`));

    const yes = await phones.carol.text(`yes ${runId}`);
    expect(yes).toMatchObject({ status: 200, body: EMPTY_TWIML });
    await client.untilStatus(runId, "Succeeded");
    await untilTelegram(ALICE, (t) => t.startsWith(`Run ${runId} succeeded`));

    expect((await phones.carol.text(`yes ${runId}`, { messageSid: yes.messageSid })).status).toBe(
      200,
    );
    // Her next text is answered after the retry was taken (one queue, in order).
    await phones.carol.text(`status ${runId}`);
    await untilSms(CAROL, (body) => body.startsWith(`Run ${runId} (job "ship") is Succeeded`));
    const answers = twilio.sent().filter((m) => m.to === CAROL && m.body.includes(runId));
    const approvedAnswers = answers.filter((m) => /^Approved/.test(m.body));
    expect(approvedAnswers).toHaveLength(1);
    const view = await client.run(runId);
    expect(view.events.filter((e) => e.type === "RunApproved")).toHaveLength(1);
  });

  test("after STOP a number is sent nothing and the timeline says why; after START it is sent to again", async ({
    client,
    phones,
  }) => {
    expect((await phones.carol.text("STOP")).status).toBe(200);
    const quiet = await aliceAsks(phones, "run ship");
    await vi.waitFor(
      async () =>
        expect(noticesOf(await client.run(quiet), "NoticeNotDelivered")).toContainEqual({
          channelId: "sms",
          conversation: `sms:${CAROL}`,
          idempotencyKey: `approval-request:${quiet}:carol`,
          reason: "opted out",
        }),
      { timeout: 20_000, interval: 100 },
    );
    expect(twilio.sent().some((m) => m.body.includes(quiet))).toBe(false);

    expect((await phones.carol.text("start")).status).toBe(200);
    const heard = await aliceAsks(phones, "run ship");
    await untilSms(CAROL, (body) => body.includes(`Reply YES ${heard}`));
  });

  test("Twilio's 429 is waited out and the text sent once; a permanent 400 is dead-lettered with its reason on the timeline", async ({
    client,
    phones,
    servers,
  }) => {
    const callsBefore = twilio.calls();
    twilio.failNext(1, {
      status: 429,
      code: 20429,
      message: "Too Many Requests",
      retryAfterSeconds: 1,
    });
    const slowed = await aliceAsks(phones, "run ship");
    await untilSms(CAROL, (body) => body.includes(`Reply YES ${slowed}`));
    expect(twilio.calls() - callsBefore).toBe(2);
    expect(twilio.sent().filter((m) => m.body.includes(`Reply YES ${slowed}`))).toHaveLength(1);

    const deadSms = QUEUES.deadLetter(QUEUES.outbound("sms"));
    const deadBefore = await queueDepth(servers.amqpUrl, deadSms);
    twilio.failNext(1, {
      status: 400,
      code: 21211,
      message: "The 'To' number +15551230003 is not a valid phone number.",
    });
    const refused = await aliceAsks(phones, "run ship");
    const notDelivered = await vi.waitFor(
      async () => {
        const found = noticesOf(await client.run(refused), "NoticeNotDelivered");
        if (found.length === 0) throw new Error("not reported yet");
        return found;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(notDelivered[0]?.reason).toMatch(/21211/);
    await vi.waitFor(async () =>
      expect(await queueDepth(servers.amqpUrl, deadSms)).toBe(deadBefore + 1),
    );
  });

  test("a webhook call without the right signature or secret is refused and has no effect", async ({
    phones,
  }) => {
    expect((await phones.carol.text("whoami", { signature: "d3Jvbmc=" })).status).toBe(403);
    expect((await phones.carol.text("whoami", { signature: null })).status).toBe(403);
    expect((await phones.alice.text("whoami", "not-the-secret")).status).toBe(401);
    expect((await phones.alice.text("whoami", null)).status).toBe(401);

    // Had any been taken, its answer would come before the answer to this.
    await phones.alice.text("help");
    await untilTelegram(ALICE, (t) => t.startsWith("Commands:"));
    await phones.carol.text("help");
    await untilSms(CAROL, (body) => body.startsWith("Commands:"));
    expect(telegram.messages(ALICE).some((m) => m.text.startsWith("You are"))).toBe(false);
    expect(twilio.sent().some((m) => m.to === CAROL && m.body.startsWith("You are"))).toBe(false);
  });

  test("no token or secret reaches any service's log, at debug level", ({ system }) => {
    const logs = system.processes.flatMap((p) => p.output).join("");
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [
      TWILIO.authToken,
      TELEGRAM.token,
      TELEGRAM.token.split(":")[1] ?? "",
      TELEGRAM.webhookSecret,
      E2E_DISPATCH_SECRET,
      people.adminToken,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
