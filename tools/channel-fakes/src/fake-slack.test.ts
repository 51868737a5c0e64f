import { ErrorCode, WebClient, type WebAPIPlatformError } from "@slack/web-api";
import { afterEach, describe, expect, test } from "vitest";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";
import { slackRequests, slackSignature } from "./slack-requests.js";

const TOKEN = "xoxb-0000000000-fake-test-token";
let slack: FakeSlack | undefined;

afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function aClient(token = TOKEN) {
  slack ??= await startFakeSlack({ token: TOKEN });
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** The Slack error `call` fails with. */
async function failureOf(call: Promise<unknown>) {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as { code?: string; data?: { error?: string }; retryAfter?: number };
}

const BUTTONS = [
  { type: "section", text: { type: "plain_text", text: "Run K7Q2MX needs approval" } },
  {
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: "textops_reply_0",
        text: { type: "plain_text", text: "Approve" },
        value: "yes K7Q2MX",
        style: "primary",
      },
    ],
  },
];

describe(startFakeSlack.name, () => {
  test("auth.test names the bot", async () => {
    const client = await aClient();

    const identity = await client.auth.test();

    expect(identity).toMatchObject({ ok: true, user_id: "U0TEXTOPS", team_id: "T0FAKE001" });
  });

  test("a message to a user goes to the app's DM with them, its blocks parsed, its ts increasing", async () => {
    const client = await aClient();

    const first = await client.chat.postMessage({
      channel: "U0ALICE01",
      text: "a",
      blocks: BUTTONS,
    });
    const second = await client.chat.postMessage({ channel: "U0ALICE01", text: "b" });

    expect(first).toMatchObject({ ok: true, channel: "D0ALICE01" });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(slack?.messages("D0ALICE01")).toEqual([
      { channel: "D0ALICE01", ts: first.ts, text: "a", blocks: BUTTONS },
      { channel: "D0ALICE01", ts: second.ts, text: "b" },
    ]);
    expect(slack?.messages("U0ALICE01")).toHaveLength(2);
    expect(slack?.calls("chat.postMessage")[0]?.params).toMatchObject({ blocks: BUTTONS });
  });

  test("an update replaces text and blocks; one of an unknown message is message_not_found", async () => {
    const client = await aClient();
    const sent = await client.chat.postMessage({
      channel: "C0OPS0001",
      text: "a",
      blocks: BUTTONS,
    });
    const section = BUTTONS.slice(0, 1);

    await client.chat.update({
      channel: "C0OPS0001",
      ts: sent.ts ?? "",
      text: "done",
      blocks: section,
    });
    const unknown = await failureOf(
      client.chat.update({ channel: "C0OPS0001", ts: "1.2", text: "x" }),
    );

    expect(slack?.messages("C0OPS0001")).toEqual([
      { channel: "C0OPS0001", ts: sent.ts, text: "done", blocks: section },
    ]);
    expect(unknown.code).toBe(ErrorCode.PlatformError);
    expect((unknown as WebAPIPlatformError).data.error).toBe("message_not_found");
  });

  test("a wrong token is invalid_auth and is not recorded", async () => {
    const client = await aClient("xoxb-wrong");

    const failure = await failureOf(client.chat.postMessage({ channel: "C0OPS0001", text: "a" }));

    expect(failure.data?.error).toBe("invalid_auth");
    expect(slack?.calls()).toEqual([]);
  });

  test("failNext answers a 429 with Retry-After, or an error, then it works again", async () => {
    const client = await aClient();
    slack?.failNext(1, { status: 429, retryAfterSeconds: 7 });
    slack?.failNext(1, { error: "channel_not_found" });

    const limited = await failureOf(client.chat.postMessage({ channel: "C0OPS0001", text: "a" }));
    const refused = await failureOf(client.chat.postMessage({ channel: "C0OPS0001", text: "a" }));
    const sent = await client.chat.postMessage({ channel: "C0OPS0001", text: "a" });

    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(refused.data?.error).toBe("channel_not_found");
    expect(sent.ok).toBe(true);
    expect(slack?.calls("chat.postMessage")).toHaveLength(3);
  });

  test("ephemeral messages and modals are recorded; any other method is unknown_method", async () => {
    const client = await aClient();

    await client.chat.postEphemeral({ channel: "C0OPS0001", user: "U0ALICE01", text: "only you" });
    await client.views.open({
      trigger_id: "1.2.3",
      view: { type: "modal", title: { type: "plain_text", text: "TextOps" }, blocks: [] },
    });
    const unknown = await failureOf(client.apiCall("pins.add", { channel: "C0OPS0001" }));

    expect(slack?.calls().map((call) => call.method)).toEqual([
      "chat.postEphemeral",
      "views.open",
      "pins.add",
    ]);
    expect(unknown.data?.error).toBe("unknown_method");
  });
});

describe(slackRequests.name, () => {
  test("signs the raw body as Slack does", () => {
    const requests = slackRequests({ signingSecret: "secret", clock: () => 1_704_110_400_000 });

    const request = requests.command({ user: "U0ALICE01", channel: "C0OPS0001", text: "help" });

    expect(request.headers).toMatchObject({
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": "1704110400",
      "x-slack-signature": slackSignature("secret", 1_704_110_400, request.body),
    });
    expect(slackSignature("secret", 1_704_110_400, "body")).toMatch(/^v0=[0-9a-f]{64}$/);
  });
});
