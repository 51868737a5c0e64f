/** A Twilio account as ingress is given it, with the URL Twilio signs against. */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  from: string;
  publicBaseUrl: string;
}

/** A Telegram bot as ingress is given it. */
export interface TelegramBotAccount {
  token: string;
  webhookSecret: string;
}

/** Ingress's variables for SMS and Telegram, pointed at the stand-ins (`apiUrl`, `apiRoot`). */
export function smsAndTelegramEnv(
  twilio: TwilioAccount & { apiUrl: string },
  telegram: TelegramBotAccount & { apiRoot: string },
): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: twilio.from,
    TWILIO_API_URL: twilio.apiUrl,
    TWILIO_RATE_PER_SECOND: "50",
    PUBLIC_BASE_URL: twilio.publicBaseUrl,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: telegram.webhookSecret,
    TELEGRAM_API_ROOT: telegram.apiRoot,
  };
}
