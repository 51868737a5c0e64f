#!/usr/bin/env node
// `npm run fakes`: local stand-ins for Twilio's, Telegram's and Slack's APIs,
// and a phone to text TextOps through them. Point ingress at the fakes
// (TWILIO_API_URL, TELEGRAM_API_ROOT, SLACK_API_URL) with the same
// credentials; see README.
import { startFakeSlack } from "./fake-slack.js";
import { startFakeTelegram } from "./fake-telegram.js";
import { startFakeTwilio } from "./fake-twilio.js";
import { phoneApp } from "./phone.js";

const env = process.env;
const host = env.FAKES_HOST ?? "127.0.0.1";
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
const missing = (names: string[]) => names.filter((name) => !env[name]);

const twilioNeeds = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "PUBLIC_BASE_URL"];
const telegramNeeds = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"];
const slackNeeds = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"];
for (const [channel, names] of [
  ["Twilio", twilioNeeds],
  ["Telegram", telegramNeeds],
  ["Slack", slackNeeds],
] as const) {
  const unset = missing([...names]);
  if (unset.length > 0) {
    console.error(`[fakes] ${channel}: ${unset.join(", ")} unset (use the values ingress gets)`);
    process.exit(1);
  }
}
const value = (name: string) => env[name] ?? "";

const twilio = await startFakeTwilio({
  accountSid: value("TWILIO_ACCOUNT_SID"),
  authToken: value("TWILIO_AUTH_TOKEN"),
  port: port("FAKE_TWILIO_PORT", 4010),
  host,
  onSent: (sms) => console.log(`[fakes] SMS to ${sms.to}: ${sms.body}`),
});
const telegram = await startFakeTelegram({
  token: value("TELEGRAM_BOT_TOKEN"),
  port: port("FAKE_TELEGRAM_PORT", 4011),
  host,
  onCall: ({ method, params }) => {
    const text = typeof params.text === "string" ? `: ${params.text}` : "";
    const buttons = JSON.stringify(params.reply_markup ?? "");
    const shown = buttons.includes("callback_data") ? ` [buttons ${buttons}]` : "";
    const chat =
      typeof params.chat_id === "number" || typeof params.chat_id === "string"
        ? params.chat_id
        : "";
    console.log(`[fakes] Telegram ${method} to ${chat}${text}${shown}`);
  },
});
const slack = await startFakeSlack({
  token: value("SLACK_BOT_TOKEN"),
  port: port("FAKE_SLACK_PORT", 4013),
  host,
  onCall: ({ method, params }) => {
    const text = typeof params.text === "string" ? `: ${params.text}` : "";
    const buttons = JSON.stringify(params.blocks ?? "");
    const shown = buttons.includes('"actions"') ? ` [buttons ${buttons}]` : "";
    const channel = typeof params.channel === "string" ? ` to ${params.channel}` : "";
    console.log(`[fakes] Slack ${method}${channel}${text}${shown}`);
  },
});
const phonePort = port("PHONE_PORT", 4012);
const ingressUrl = (env.INGRESS_URL ?? "http://127.0.0.1:5048").replace(/\/+$/, "");
const phone = phoneApp(
  {
    ingressUrl,
    twilio: {
      accountSid: value("TWILIO_ACCOUNT_SID"),
      authToken: value("TWILIO_AUTH_TOKEN"),
      from: value("TWILIO_FROM"),
      publicBaseUrl: value("PUBLIC_BASE_URL").replace(/\/+$/, ""),
    },
    telegram: { webhookSecret: value("TELEGRAM_WEBHOOK_SECRET") },
    slack: { signingSecret: value("SLACK_SIGNING_SECRET") },
  },
  { twilio, telegram, slack },
).listen(phonePort, host);

console.log(`[fakes] Twilio API on ${twilio.url} (TWILIO_API_URL)`);
console.log(`[fakes] Telegram Bot API on ${telegram.apiRoot} (TELEGRAM_API_ROOT)`);
console.log(`[fakes] Slack Web API on ${slack.apiUrl} (SLACK_API_URL)`);
console.log(`[fakes] phone on http://${host}:${phonePort}, calling ingress at ${ingressUrl}`);

const stop = () => {
  phone.close();
  void Promise.all([twilio.close(), telegram.close(), slack.close()]).then(() => process.exit(0));
};
process.once("SIGINT", stop).once("SIGTERM", stop);
