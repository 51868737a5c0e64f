import express, { type Request, type Response } from "express";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import type { FakeSlack } from "./fake-slack.js";
import type { FakeTelegram } from "./fake-telegram.js";
import type { FakeTwilio } from "./fake-twilio.js";
import { slackRequests, type SlackRequest } from "./slack-requests.js";

/** How the phone reaches ingress's webhooks, signed as the providers sign them. */
export interface PhoneSettings {
  ingressUrl: string;
  twilio?: { authToken: string; accountSid: string; from: string; publicBaseUrl: string };
  telegram?: { webhookSecret: string };
  slack?: { signingSecret: string };
}

const SMS_PATH = "/channels/twilio/sms";
const TELEGRAM_PATH = "/channels/telegram/webhook";

/**
 * A phone for trying TextOps's channels by hand: `POST /sms` texts TextOps as
 * Twilio's webhook would, `POST /telegram` and `POST /telegram/press` write
 * and press buttons as Telegram's would, `POST /slack`, `POST /slack/command`
 * and `POST /slack/press` as Slack's would (signed with the signing secret);
 * `GET /sms/:number`, `GET /telegram/:chat` and `GET /slack/:channel` show
 * what TextOps sent there through the fakes.
 */
export function phoneApp(
  settings: PhoneSettings,
  fakes: { twilio: FakeTwilio; telegram: FakeTelegram; slack?: FakeSlack },
) {
  let sequence = 0;
  const next = () => {
    sequence += 1;
    return sequence;
  };
  const forward = async (res: Response, path: string, init: RequestInit) => {
    const answer = await fetch(`${settings.ingressUrl}${path}`, { method: "POST", ...init });
    res.status(answer.ok ? 200 : 502).json({ ingress: answer.status, body: await answer.text() });
  };
  const refuse = (res: Response, error: string) => void res.status(400).json({ error });

  const app = express();
  app.use(express.json());
  app.post("/sms", async (req: Request, res: Response) => {
    const { from, body } = (req.body ?? {}) as { from?: unknown; body?: unknown };
    if (!settings.twilio) return refuse(res, "Twilio is not configured for the phone");
    if (typeof from !== "string" || typeof body !== "string") {
      return refuse(res, 'expected { "from": "+15551230001", "body": "run demo" }');
    }
    const { authToken, accountSid, from: to, publicBaseUrl } = settings.twilio;
    const params = {
      MessageSid: `SM${String(Date.now())}${String(next()).padStart(19, "0")}`,
      AccountSid: accountSid,
      From: from,
      To: to,
      Body: body,
      NumMedia: "0",
    };
    const signature = getExpectedTwilioSignature(authToken, `${publicBaseUrl}${SMS_PATH}`, params);
    await forward(res, SMS_PATH, {
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signature,
      },
      body: new URLSearchParams(params).toString(),
    });
  });

  const telegramUpdate = async (res: Response, update: object) => {
    if (!settings.telegram) return refuse(res, "Telegram is not configured for the phone");
    await forward(res, TELEGRAM_PATH, {
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": settings.telegram.webhookSecret,
      },
      body: JSON.stringify(update),
    });
  };
  const person = (id: number) => ({
    from: { id, is_bot: false, first_name: `user ${id}` },
    chat: { id, type: "private", first_name: `user ${id}` },
  });
  app.post("/telegram", async (req: Request, res: Response) => {
    const { from, text } = (req.body ?? {}) as { from?: unknown; text?: unknown };
    if (typeof from !== "number" || typeof text !== "string") {
      return refuse(res, 'expected { "from": 4242, "text": "run demo" }');
    }
    const id = Date.now() * 10 + (next() % 10);
    const { from: user, chat } = person(from);
    const message = { message_id: id, date: Math.floor(Date.now() / 1000), from: user, chat, text };
    await telegramUpdate(res, { update_id: id, message });
  });
  app.post("/telegram/press", async (req: Request, res: Response) => {
    const { from, messageId, data } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof from !== "number" || typeof messageId !== "number" || typeof data !== "string") {
      return refuse(res, 'expected { "from": 4242, "messageId": 1, "data": "yes K7Q2MX" }');
    }
    const id = Date.now() * 10 + (next() % 10);
    const { from: user, chat } = person(from);
    const message = { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, text: "" };
    const callback_query = {
      id: `press-${id}`,
      from: user,
      chat_instance: `chat-${from}`,
      message,
      data,
    };
    await telegramUpdate(res, { update_id: id, callback_query });
  });
  const slack = settings.slack
    ? slackRequests({
        signingSecret: settings.slack.signingSecret,
        ...(fakes.slack ? { botUserId: fakes.slack.botUserId } : {}),
      })
    : undefined;
  const slackRequest = async (res: Response, request: SlackRequest) =>
    forward(res, request.path, { headers: request.headers, body: request.body });
  const text = (value: unknown): value is string => typeof value === "string";
  app.post("/slack", async (req: Request, res: Response) => {
    const { from, text: said, channel } = (req.body ?? {}) as Record<string, unknown>;
    if (!slack) return refuse(res, "Slack is not configured for the phone");
    if (!text(from) || !text(said) || !(channel === undefined || text(channel))) {
      return refuse(
        res,
        'expected { "from": "U0ALICE01", "text": "run demo", "channel"?: "C0OPS0001" }',
      );
    }
    await slackRequest(
      res,
      channel === undefined
        ? slack.directMessage({ user: from, text: said })
        : slack.mention({ user: from, channel, text: said }),
    );
  });
  app.post("/slack/command", async (req: Request, res: Response) => {
    const { from, text: said, channel } = (req.body ?? {}) as Record<string, unknown>;
    if (!slack) return refuse(res, "Slack is not configured for the phone");
    if (!text(from) || !text(said) || !text(channel)) {
      return refuse(
        res,
        'expected { "from": "U0ALICE01", "channel": "C0OPS0001", "text": "run demo" }',
      );
    }
    await slackRequest(res, slack.command({ user: from, channel, text: said }));
  });
  app.post("/slack/press", async (req: Request, res: Response) => {
    const { from, channel, messageTs, value } = (req.body ?? {}) as Record<string, unknown>;
    if (!slack) return refuse(res, "Slack is not configured for the phone");
    if (!text(from) || !text(channel) || !text(messageTs) || !text(value)) {
      return refuse(
        res,
        'expected { "from": "U0ALICE01", "channel": "D0ALICE01", "messageTs": "1704110400.000001", "value": "yes K7Q2MX" }',
      );
    }
    await slackRequest(res, slack.press({ user: from, channel, messageTs, value }));
  });
  app.get("/sms/:number", (req: Request<{ number: string }>, res: Response) => {
    res.json(fakes.twilio.sent().filter((sms) => sms.to === req.params.number));
  });
  app.get("/telegram/:chat", (req: Request<{ chat: string }>, res: Response) => {
    res.json(fakes.telegram.messages(req.params.chat));
  });
  app.get("/slack/:channel", (req: Request<{ channel: string }>, res: Response) => {
    res.json(fakes.slack?.messages(req.params.channel) ?? []);
  });
  return app;
}
