import type { OutboundMessage } from "@textops/contracts";
import type { Logger } from "pino";
import {
  DeliveryDeferred,
  DeliveryRefused,
  providerConversation,
  type ChannelSender,
} from "../channel-sender.js";
import { KeyedBuckets, type Rate } from "../token-bucket.js";
import type { SmsOptOuts } from "./opt-out.store.js";
import { splitSms } from "./split-sms.js";
import { E164, isMessagingService, type TwilioSettings } from "./twilio-config.js";
import { ApiUrlRequestClient, TwilioThrottled } from "./twilio-http-client.js";
import { TwilioClient } from "./twilio-sdk.js";

/** Twilio's error for a number that sent STOP: nothing reaches it until it sends START. */
export const OPTED_OUT_CODE = 21610;
/** How long to wait after a 429 that said nothing of when to try again. */
const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Waits for the sending number's turn; a KeyedBuckets unless a test hands in another. */
export interface SendPace {
  take(key: string): Promise<void>;
}

/** TWILIO_RATE_PER_SECOND as a token bucket's rate; one message can always go. */
export function smsRate(ratePerSecond: number): Rate {
  return { perInterval: ratePerSecond, intervalMs: 1000, burst: Math.max(1, ratePerSecond) };
}

export interface TwilioSenderDeps {
  optOuts: SmsOptOuts;
  clock?: () => number;
  log?: Logger;
  pace?: SendPace;
}

/** What the SDK's errors tell: an HTTP status (none for a network error), Twilio's code, a text. */
interface Failure {
  status?: number;
  code?: number;
  message: string;
  retryAfter?: string;
}

function failureOf(error: unknown): Failure | null {
  if (error instanceof TwilioThrottled) {
    return { status: 429, code: error.code, message: error.message, retryAfter: error.retryAfter };
  }
  if (typeof error !== "object" || error === null) return null;
  const fields = error as Record<string, unknown>;
  if (typeof fields.status === "number") {
    // RestException ({ status, code, message }) or, in RFC 9457 form, TwilioServiceException ({ title, detail }).
    const text = [fields.detail, fields.message].find((t) => typeof t === "string" && t !== "");
    return {
      status: fields.status,
      code: typeof fields.code === "number" ? fields.code : undefined,
      message: typeof text === "string" ? text : "no message",
    };
  }
  if (fields.isAxiosError === true) {
    const code = typeof fields.code === "string" ? fields.code : undefined;
    return { message: code ?? (error instanceof Error ? error.message : "network error") };
  }
  return null;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | undefined, now: number): number {
  if (header === undefined) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)));
}

/**
 * The SMS channel's sender: texts `message.body` to the number of its
 * conversation through Twilio's REST API, as several messages when longer
 * than 1600 characters, each after the sending number's rate allows. A
 * number that opted out is refused without a call. SMS cannot edit a sent
 * message, so there is no `edit`.
 */
export function createTwilioSender(
  settings: TwilioSettings,
  deps: TwilioSenderDeps,
): ChannelSender {
  const clock = deps.clock ?? Date.now;
  const client = new TwilioClient(settings.accountSid, settings.authToken, {
    httpClient: new ApiUrlRequestClient(settings.apiUrl),
  });
  const pace = deps.pace ?? new KeyedBuckets(smsRate(settings.ratePerSecond), clock);
  const sender = isMessagingService(settings.from)
    ? { messagingServiceSid: settings.from }
    : { from: settings.from };
  const basicAuth = Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64");
  const scrub = (text: string) =>
    text.replaceAll(settings.authToken, "[redacted]").replaceAll(basicAuth, "[redacted]");

  async function deliveryError(error: unknown, to: string): Promise<Error> {
    const failure = failureOf(error);
    if (!failure) return error instanceof Error ? error : new Error(scrub(String(error)));
    const { status, code } = failure;
    const message = scrub(failure.message);
    if (status === undefined) return new DeliveryDeferred(`Twilio unreachable: ${message}`);
    const said = `Twilio ${status} (code ${code ?? "none"}): ${message}`;
    if (status === 429)
      return new DeliveryDeferred(said, retryAfterMs(failure.retryAfter, clock()));
    if (status >= 500) return new DeliveryDeferred(said);
    if (code === OPTED_OUT_CODE) {
      await deps.optOuts.optOut(to, new Date(clock()));
      return new DeliveryRefused("opted out", "opted-out");
    }
    return new DeliveryRefused(said);
  }

  async function sendPart(to: string, body: string): Promise<string> {
    await pace.take(settings.from);
    try {
      const sent = await client.messages.create({ to, body, ...sender });
      return sent.sid;
    } catch (error) {
      throw await deliveryError(error, to);
    }
  }

  return {
    channelId: "sms",
    async send(message: OutboundMessage) {
      const to = providerConversation(message.conversation);
      if (!E164.test(to)) throw new DeliveryRefused("not an E.164 phone number");
      if (await deps.optOuts.isOptedOut(to)) throw new DeliveryRefused("opted out", "opted-out");
      const providerMessageIds: string[] = [];
      for (const part of splitSms(message.body)) providerMessageIds.push(await sendPart(to, part));
      deps.log?.debug({ providerMessageIds }, "SMS sent through Twilio");
      return { providerMessageIds };
    },
  };
}
