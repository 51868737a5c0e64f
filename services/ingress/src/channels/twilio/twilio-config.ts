import { secretVariable, variable, type ConfigOf } from "@textops/runtime";
import { z } from "zod";

/** An E.164 phone number: "+" and up to 15 digits, no leading zero. */
export const E164 = /^\+[1-9]\d{1,14}$/;
/** A Messaging Service's SID: Twilio picks the sending number from its pool. */
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** What ingress reads to run the Twilio SMS channel; spread into its configLoader. */
export const twilioVariables = {
  twilioAccountSid: variable(
    "TWILIO_ACCOUNT_SID",
    z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID ("AC" and 32 hex digits)')
      .optional(),
  ),
  twilioAuthToken: secretVariable(
    "TWILIO_AUTH_TOKEN",
    z.string().regex(/^\S+$/, "must not contain spaces").optional(),
  ),
  /** The sending number (E.164) or a Messaging Service SID ("MG…"). */
  twilioFrom: variable(
    "TWILIO_FROM",
    z
      .string()
      .refine(
        (value) => E164.test(value) || MESSAGING_SERVICE_SID.test(value),
        'expected an E.164 number ("+15551230001") or a Messaging Service SID ("MG…")',
      )
      .optional(),
  ),
  /** The base URL Twilio calls (behind any proxy): webhooks are signed over it. */
  publicBaseUrl: variable(
    "PUBLIC_BASE_URL",
    z
      .url({ protocol: /^https?$/ })
      .refine((value) => !/[?#]/.test(value), "must have no query or fragment")
      .optional(),
  ),
  /** Where the REST API is; only tests point it elsewhere. */
  twilioApiUrl: variable(
    "TWILIO_API_URL",
    z.url({ protocol: /^https?$/ }).default("https://api.twilio.com"),
  ),
  /** Messages per second per sending number (or Messaging Service). */
  twilioRatePerSecond: variable(
    "TWILIO_RATE_PER_SECOND",
    z.coerce.number().positive().max(1000).default(1),
  ),
};

export type TwilioConfig = ConfigOf<typeof twilioVariables>;

/** Everything the Twilio channel needs, when it is configured. */
export interface TwilioSettings {
  on: true;
  accountSid: string;
  authToken: string;
  /** An E.164 number, or a Messaging Service SID ("MG…"). */
  from: string;
  /** Without a trailing slash. */
  publicBaseUrl: string;
  /** Without a trailing slash. */
  apiUrl: string;
  ratePerSecond: number;
}

/** The channel is off while any of these is unset: the names of those unset. */
export interface TwilioOff {
  on: false;
  missing: string[];
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

/** The Twilio channel's settings, or which variables it lacks (the caller logs them). */
export function twilioSettings(config: TwilioConfig): TwilioSettings | TwilioOff {
  const { twilioAccountSid, twilioAuthToken, twilioFrom, publicBaseUrl } = config;
  if (!twilioAccountSid || !twilioAuthToken || !twilioFrom || !publicBaseUrl) {
    const required = {
      TWILIO_ACCOUNT_SID: twilioAccountSid,
      TWILIO_AUTH_TOKEN: twilioAuthToken,
      TWILIO_FROM: twilioFrom,
      PUBLIC_BASE_URL: publicBaseUrl,
    };
    const missing = Object.entries(required).filter(([, value]) => !value);
    return { on: false, missing: missing.map(([name]) => name) };
  }
  return {
    on: true,
    accountSid: twilioAccountSid,
    authToken: twilioAuthToken,
    from: twilioFrom,
    publicBaseUrl: withoutTrailingSlash(publicBaseUrl),
    apiUrl: withoutTrailingSlash(config.twilioApiUrl),
    ratePerSecond: config.twilioRatePerSecond,
  };
}

/** Whether TWILIO_FROM names a Messaging Service rather than a number. */
export const isMessagingService = (from: string) => from.startsWith("MG");
