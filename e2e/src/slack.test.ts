import { afterAll } from "vitest";
import { describe, expect, vi } from "@textops/testing";
import {
  directChannelOf,
  sendSlackRequest,
  slackRequests,
  startFakeSlack,
  startFakeTelegram,
  startFakeTwilio,
  type FakeSlackMessage,
  type SlackRequest,
} from "@textops/channel-fakes";
import { smsPhone, telegramUser } from "./channel-clients.js";
import { smsAndTelegramEnv } from "./channel-env.js";
import { testWithOneSystem } from "./fixtures.js";
import { E2E_DISPATCH_SECRET } from "./system.js";
import { devClient, stateEvents, type RunView } from "./http-client.js";
import { writeUsersFile } from "./users-file.js";
import { catalogFile } from "./catalog-file.js";
import { fakeInboxes, noticesOf, telegramButtons, waitFor } from "./fake-inboxes.js";

/*
 * Slack through the processes, next to Telegram and SMS: Slack's requests
 * signed as Slack signs them, the app's messages sent by the official SDK to
 * a local fake of Slack's Web API, and one run's approvers on all three
 * channels, each seeing the one decision.
 */

const SLACK = {
  token: "xoxb-0000000000-e2e-slack-bot-token",
  signingSecret: "e2e-slack-signing-secret-7c1d",
};
const TWILIO = {
  accountSid: `AC${"e2e1".repeat(8)}`,
  authToken: "e2e-twilio-auth-token-slack",
  from: "+15551240000",
  publicBaseUrl: "https://textops.e2e.example",
};
const TELEGRAM = {
  token: "434343:e2e-telegram-bot-token-slack",
  webhookSecret: "e2e-telegram-webhook-secret-slack",
};

const [ALICE, DANA] = ["U0ALICE", "U0DANA"];
const BOB = 2002;
const CAROL = "+15551240003";
const OPS = "C0OPS";

const people = writeUsersFile({
  alice: { name: "Alice", roles: ["dev"], addresses: [`slack:${ALICE}`] },
  dana: { name: "Dana", roles: ["ops"], addresses: [`slack:${DANA}`] },
  bob: { name: "Bob", roles: ["ops"], addresses: [`telegram:${BOB}`] },
  carol: { name: "Carol", roles: ["ops"], addresses: [`sms:${CAROL}`] },
  root: { name: "Root", roles: ["admin"], addresses: ["dev:root"] },
});

const jobs = catalogFile({
  release: {
    description: "Release a version",
    parameters: "{ version: { type: string, required: true } }",
    approval: "{ approvers: { users: [dana, bob, carol] } }",
  },
  migrate: {
    description: "Migrate the database",
    approval: "{ approvers: { users: [dana, bob] }, required: 2 }",
  },
  ship: { description: "Ship the build", approval: "{ approvers: { users: [dana] } }" },
  hotfix: {
    description: "Hotfix production",
    approval: "{ approvers: { users: [dana, bob] }, confirmCode: true }",
  },
});

const slack = await startFakeSlack({ token: SLACK.token });
const twilio = await startFakeTwilio({
  accountSid: TWILIO.accountSid,
  authToken: TWILIO.authToken,
});
const telegram = await startFakeTelegram({ token: TELEGRAM.token });
afterAll(() => Promise.all([slack.close(), twilio.close(), telegram.close()]));

const test = testWithOneSystem({
  workers: 1,
  usersFile: people.path,
  jobsFile: jobs,
  logLevel: "debug",
  ingressEnv: {
    SLACK_BOT_TOKEN: SLACK.token,
    SLACK_SIGNING_SECRET: SLACK.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ...smsAndTelegramEnv(
      { ...TWILIO, apiUrl: twilio.url },
      { ...TELEGRAM, apiRoot: telegram.apiRoot },
    ),
  },
})
  .extend("client", { scope: "file" }, ({ system }) =>
    devClient(system.baseUrl, { apiToken: people.adminToken }),
  )
  .extend(
    "slackSend",
    { scope: "file" },
    ({ system }) =>
      (request: SlackRequest) =>
        sendSlackRequest(system.baseUrl, request),
  )
  .extend("phones", { scope: "file" }, ({ system }) => ({
    bob: telegramUser(
      { baseUrl: system.baseUrl, webhookSecret: TELEGRAM.webhookSecret },
      BOB,
      "Bob",
    ),
    carol: smsPhone({ ...TWILIO, baseUrl: system.baseUrl, to: TWILIO.from }, CAROL),
  }));

const { untilSms, untilSlack, untilTelegram } = fakeInboxes({ twilio, telegram, slack });

const requests = slackRequests({ signingSecret: SLACK.signingSecret, botUserId: slack.botUserId });

/** The buttons of a Slack message: each one's label and the reply it stands for. */
function slackButtons(message: FakeSlackMessage): { label: string; value: string }[] {
  const blocks = (message.blocks ?? []) as {
    type: string;
    elements?: { text: { text: string }; value: string }[];
  }[];
  return blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .map((button) => ({ label: button.text.text, value: button.value }));
}

const runIdOf = (text: string) => {
  const id = /run (\w{6})\./.exec(text)?.[1];
  if (!id) throw new Error(`no run id in ${text}`);
  return id;
};

/** `14:02` of the run's event of `type`, as the texts show its time. */
const timeOf = (view: RunView, type: string) =>
  stateEvents(view)
    .find((e) => e.type === type)
    ?.at.slice(11, 16) ?? "";

describe("Slack, end to end, next to Telegram and SMS", () => {
  test("asked for with /textops, approved with Slack's button: the Slack and Telegram copies lose their buttons and name Dana, Carol's late SMS yes is told who decided, and a double click counts once", async ({
    client,
    slackSend,
    phones,
  }) => {
    const asked = await slackSend(
      requests.command({ user: ALICE, channel: OPS, text: "run release version=v2.0.0" }),
    );
    expect(asked.status).toBe(200);

    const request = await untilSlack(DANA, (m) =>
      m.text.startsWith('Alice asks to run job "release"'),
    );
    const runId = runIdOf(request.text);
    expect(slackButtons(request)).toEqual([
      { label: "Approve", value: `yes ${runId}` },
      { label: "Deny", value: `no ${runId}` },
    ]);
    await untilSlack(OPS, (m) => m.text.includes(runId) && m.text.includes("waits for approval"));
    const bobsCopy = await untilTelegram(BOB, (t) => t.includes(`run ${runId}.`));
    expect(telegramButtons(bobsCopy)).toHaveLength(2);
    await untilSms(CAROL, (body) => body.includes(`Reply YES ${runId}`));

    const press = requests.press({
      user: DANA,
      channel: directChannelOf(DANA),
      messageTs: request.ts,
      value: `yes ${runId}`,
    });
    const [first, second] = await Promise.all([slackSend(press), slackSend(press)]);
    expect([first.status, second.status]).toEqual([200, 200]);

    const view = await client.untilStatus(runId, "Succeeded");
    const approvedAt = timeOf(view, "RunApproved");
    const decided = `Approved by Dana at ${approvedAt} UTC.`;
    const slackCopy = await untilSlack(
      DANA,
      (m) => m.ts === request.ts && m.text.endsWith(decided),
    );
    expect(slackButtons(slackCopy)).toEqual([]);
    const telegramCopy = await untilTelegram(BOB, (t) => t.endsWith(decided));
    expect(telegramCopy.message_id).toBe(bobsCopy.message_id);
    expect(telegramButtons(telegramCopy)).toEqual([]);
    await untilSlack(OPS, (m) => m.text.startsWith(`Run ${runId} succeeded`));

    // Carol's SMS copy cannot be edited; her yes comes after the decision and changes nothing.
    await phones.carol.text(`yes ${runId}`);
    await untilSms(
      CAROL,
      (body) =>
        body ===
        `Run ${runId} was already approved by Dana at ${approvedAt} UTC; nothing to approve.`,
    );

    const final = await client.run(runId);
    expect(stateEvents(final).filter((e) => e.type === "RunApproved")).toHaveLength(1);
    expect(stateEvents(final).filter((e) => e.type === "ExecutionDispatched")).toHaveLength(1);
    await vi.waitFor(async () =>
      expect(
        noticesOf(await client.run(runId), "NoticeEdited")
          .map((n) => n.channelId)
          .sort(),
      ).toEqual(["slack", "telegram"]),
    );
  });

  test("a quorum grows on every copy: Dana's yes on Slack shows as 1 of 2 on Slack and Telegram, buttons kept; Bob's press on Telegram decides it everywhere", async ({
    client,
    slackSend,
    phones,
  }) => {
    await slackSend(requests.directMessage({ user: ALICE, text: "run migrate" }));
    const request = await untilSlack(DANA, (m) =>
      m.text.startsWith('Alice asks to run job "migrate"'),
    );
    const runId = runIdOf(request.text);
    const bobsCopy = await untilTelegram(BOB, (t) => t.includes(`run ${runId}.`));

    await slackSend(
      requests.press({
        user: DANA,
        channel: directChannelOf(DANA),
        messageTs: request.ts,
        value: `yes ${runId}`,
      }),
    );
    const progress = "Approved by Dana (1 of 2).";
    const slackProgress = await untilSlack(
      DANA,
      (m) => m.ts === request.ts && m.text.endsWith(progress),
    );
    expect(slackButtons(slackProgress)).toHaveLength(2);
    const telegramProgress = await untilTelegram(BOB, (t) => t.endsWith(progress));
    expect(telegramButtons(telegramProgress)).toHaveLength(2);

    expect((await phones.bob.press(bobsCopy.message_id, `yes ${runId}`)).status).toBe(200);
    const view = await client.untilStatus(runId, "Succeeded");
    const decided = `Approved by Dana and Bob at ${timeOf(view, "RunApproved")} UTC.`;
    expect(
      slackButtons(await untilSlack(DANA, (m) => m.ts === request.ts && m.text.endsWith(decided))),
    ).toEqual([]);
    expect(telegramButtons(await untilTelegram(BOB, (t) => t.endsWith(decided)))).toEqual([]);
  });

  test("a job that wants a confirm code: Approve… opens a modal on Slack, a wrong code is refused, the right one approves; Telegram's copy offers only Deny", async ({
    client,
    slackSend,
  }) => {
    await slackSend(requests.directMessage({ user: ALICE, text: "run hotfix" }));
    const request = await untilSlack(DANA, (m) =>
      m.text.startsWith('Alice asks to run job "hotfix"'),
    );
    const runId = runIdOf(request.text);
    const code = new RegExp(`Reply YES ${runId} (\\w+)`).exec(request.text)?.[1] ?? "";
    expect(slackButtons(request).map((b) => b.label)).toEqual(["Approve…", "Deny"]);
    const bobsCopy = await untilTelegram(BOB, (t) => t.includes(`run ${runId}.`));
    expect(telegramButtons(bobsCopy)).toEqual([{ text: "Deny", callback_data: `no ${runId}` }]);

    const pressed = await slackSend(
      requests.press({
        user: DANA,
        channel: directChannelOf(DANA),
        messageTs: request.ts,
        value: slackButtons(request)[0]?.value ?? "",
        actionId: "textops_ask_0",
      }),
    );
    expect(pressed.status).toBe(200);
    const opened = await waitFor("a modal", () => slack.calls("views.open").at(-1));
    const view = opened.params.view as { private_metadata: string };
    const submit = (value: string) =>
      slackSend(
        requests.viewSubmission({ user: DANA, privateMetadata: view.private_metadata, value }),
      );

    expect((await submit(code === "ZZZZZ2" ? "ZZZZZ3" : "ZZZZZ2")).status).toBe(200);
    await untilSlack(DANA, (m) => m.text === `That confirm code is not right for run ${runId}.`);
    expect((await client.run(runId)).run.status).toBe("AwaitingApproval");

    expect((await submit(code)).status).toBe(200);
    const approved = await client.untilStatus(runId, "Succeeded");
    const decided = `Approved by Dana at ${timeOf(approved, "RunApproved")} UTC.`;
    const slackCopy = await untilSlack(
      DANA,
      (m) => m.ts === request.ts && m.text.endsWith(decided),
    );
    expect(slackButtons(slackCopy)).toEqual([]);
  });

  test("a DM, Slack's retry of it and a mention: one run each; a bad signature or a stale timestamp is refused and changes nothing", async ({
    client,
    slackSend,
  }) => {
    const dm = requests.directMessage({ user: ALICE, text: "run ship" });
    expect((await slackSend(dm)).status).toBe(200);
    const request = await untilSlack(DANA, (m) =>
      m.text.startsWith('Alice asks to run job "ship"'),
    );
    const runId = runIdOf(request.text);
    // Slack's retry: the same event, with X-Slack-Retry-Num, signed afresh.
    const retry = requests.signed(dm.body, dm.headers["content-type"] ?? "", { retryNum: 1 });
    expect((await slackSend(retry)).status).toBe(200);

    const mention = requests.mention({ user: ALICE, channel: OPS, text: `status ${runId}` });
    expect((await slackSend(mention)).status).toBe(200);
    await untilSlack(OPS, (m) =>
      m.text.startsWith(`Run ${runId} (job "ship") is AwaitingApproval`),
    );

    const forged = requests.command(
      { user: ALICE, channel: OPS, text: "run ship" },
      { signature: "v0=0000000000000000000000000000000000000000000000000000000000000000" },
    );
    expect((await slackSend(forged)).status).toBe(401);
    const stale = requests.command(
      { user: ALICE, channel: OPS, text: "run ship" },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect((await slackSend(stale)).status).toBe(401);

    // Everything before this status answer was taken in order: one request for ship, no more.
    await slackSend(requests.directMessage({ user: ALICE, text: `status ${runId}` }));
    await untilSlack(ALICE, (m) => m.text.startsWith(`Run ${runId} (job "ship")`));
    const asked = slack
      .messages(DANA)
      .filter((m) => m.text.startsWith('Alice asks to run job "ship"'));
    expect(asked).toHaveLength(1);
    const view = await client.run(runId);
    expect(stateEvents(view).map((e) => e.type)).toEqual(["RunCreated", "ApprovalRequested"]);
  });

  test("no Slack token or signing secret reaches any service's log, at debug level", ({
    system,
  }) => {
    const logs = system.processes.flatMap((p) => p.output).join("");
    expect(logs).toContain("channel slack on");
    for (const secret of [SLACK.token, SLACK.signingSecret, E2E_DISPATCH_SECRET]) {
      expect(logs).not.toContain(secret);
    }
  });
});
