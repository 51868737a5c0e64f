import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";

/** What Twilio's webhook call carries, signed as Twilio signs it. */
export interface SmsWebhookSettings {
  /** Where ingress listens (the test's own port). */
  baseUrl: string;
  /** PUBLIC_BASE_URL: the URL Twilio calls and signs, which a proxy maps to ingress. */
  publicBaseUrl: string;
  accountSid: string;
  authToken: string;
  /** The TextOps number the person texts (TWILIO_FROM). */
  to: string;
}

let sms = 0;

/** A phone texting TextOps's number: each text is one webhook call, as Twilio makes it. */
export function smsPhone(settings: SmsWebhookSettings, from: string) {
  const path = "/channels/twilio/sms";
  const post = (params: Record<string, string>, signature: string | null) =>
    fetch(`${settings.baseUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature === null ? {} : { "x-twilio-signature": signature }),
      },
      body: new URLSearchParams(params).toString(),
    });
  return {
    /** Texts `body`; `messageSid` repeats an earlier text (Twilio retrying its webhook). */
    async text(body: string, options: { messageSid?: string; signature?: string | null } = {}) {
      sms += 1;
      const params = {
        MessageSid: options.messageSid ?? `SM${String(sms).padStart(32, "0")}`,
        AccountSid: settings.accountSid,
        From: from,
        To: settings.to,
        Body: body,
        NumMedia: "0",
      };
      const signed = getExpectedTwilioSignature(
        settings.authToken,
        `${settings.publicBaseUrl}${path}`,
        params,
      );
      const response = await post(
        params,
        options.signature === undefined ? signed : options.signature,
      );
      return {
        status: response.status,
        body: await response.text(),
        messageSid: params.MessageSid,
      };
    },
  };
}

export interface TelegramWebhookSettings {
  baseUrl: string;
  webhookSecret: string;
}

let updates = 1000;

/** A Telegram user in a private chat with the bot: each text or press is one webhook update. */
export function telegramUser(settings: TelegramWebhookSettings, userId: number, name: string) {
  const from = { id: userId, is_bot: false, first_name: name };
  const chat = { id: userId, type: "private", first_name: name };
  const post = async (update: object, secret: string | null = settings.webhookSecret) => {
    const response = await fetch(`${settings.baseUrl}/channels/telegram/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
      },
      body: JSON.stringify(update),
    });
    return response.status;
  };
  const date = () => Math.floor(Date.now() / 1000);
  return {
    /** Sends `text`; returns the HTTP status ingress answered and the update sent. */
    async text(text: string, secret?: string | null) {
      updates += 1;
      const update = {
        update_id: updates,
        message: { message_id: updates, date: date(), from, chat, text },
      };
      return { status: await post(update, secret), update };
    },
    /** Presses the button `data` under the bot's message `messageId`. */
    async press(messageId: number, data: string) {
      updates += 1;
      const update = {
        update_id: updates,
        callback_query: {
          id: `press-${updates}`,
          from,
          chat_instance: `chat-${userId}`,
          message: { message_id: messageId, date: date(), chat, text: "…" },
          data,
        },
      };
      return { status: await post(update), update };
    },
    /** Sends an update again, as Telegram does when its first call got no 2xx. */
    replay: (update: object) => post(update),
  };
}
