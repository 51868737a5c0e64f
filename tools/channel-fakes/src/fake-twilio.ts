import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import express, { type Request, type Response } from "express";

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** 0 (any free port) unless given. */
  port?: number;
  /** 127.0.0.1 unless given (0.0.0.0 in a container). */
  host?: string;
  /** Told of each message the fake accepted (the CLI prints it). */
  onSent?: (sms: SentSms) => void;
}

/** A message the fake accepted, as it was asked to send it. */
export interface SentSms {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
}

/** How the fake answers instead of sending: Twilio's error body, and Retry-After when given. */
export interface TwilioFailure {
  status: number;
  code?: number;
  message?: string;
  retryAfterSeconds?: number;
}

export interface FakeTwilio {
  /** The API's base URL, e.g. http://127.0.0.1:41234 (TWILIO_API_URL). */
  url: string;
  /** The messages accepted, in order. */
  sent(): SentSms[];
  /** How many create-message requests came in, accepted or not. */
  calls(): number;
  /** The next `count` create-message requests fail with `answer`. */
  failNext(count: number, answer: TwilioFailure): void;
  close(): Promise<void>;
}

const MAX_BODY = 1600;

/** Twilio's error body: `{ code, message, more_info, status }`. */
function twilioError(res: Response, status: number, code: number, message: string) {
  res.status(status).json({
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

function authorized(req: Request, accountSid: string, authToken: string): boolean {
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`,
  );
  const given = Buffer.from(req.get("authorization") ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const field = (body: Record<string, unknown>, name: string) => {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/** What Twilio answers to a created message (the fields its SDK reads). */
function messageResource(accountSid: string, sms: SentSms) {
  const now = new Date().toUTCString().replace("GMT", "+0000");
  return {
    account_sid: accountSid,
    api_version: "2010-04-01",
    body: sms.body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: sms.from ?? null,
    messaging_service_sid: sms.messagingServiceSid ?? null,
    num_media: "0",
    num_segments: String(Math.max(1, Math.ceil(sms.body.length / 153))),
    price: null,
    price_unit: "USD",
    sid: sms.sid,
    status: sms.messagingServiceSid ? "accepted" : "queued",
    subresource_uris: {
      media: `/2010-04-01/Accounts/${accountSid}/Messages/${sms.sid}/Media.json`,
    },
    to: sms.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sms.sid}.json`,
  };
}

/**
 * A local stand-in for Twilio's REST API, as much as TextOps uses of it:
 * `POST /2010-04-01/Accounts/:sid/Messages.json` with HTTP Basic auth,
 * answering like Twilio, and failing on request (429 with Retry-After, 5xx,
 * 21610 for an opted-out number, …). Bound to 127.0.0.1.
 */
export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const { accountSid, authToken } = options;
  const sent: SentSms[] = [];
  const failures: TwilioFailure[] = [];
  let calls = 0;

  const app = express();
  app.disable("x-powered-by");
  app.post(
    "/2010-04-01/Accounts/:sid/Messages.json",
    express.urlencoded({ extended: false }),
    (req: Request<{ sid: string }>, res: Response) => {
      calls += 1;
      if (!authorized(req, accountSid, authToken) || req.params.sid !== accountSid) {
        twilioError(res, 401, 20003, "Authenticate");
        return;
      }
      const failure = failures.shift();
      if (failure) {
        if (failure.retryAfterSeconds !== undefined) {
          res.set("Retry-After", String(failure.retryAfterSeconds));
        }
        const code = failure.code ?? (failure.status === 429 ? 20429 : 20500);
        twilioError(res, failure.status, code, failure.message ?? `failure ${code}`);
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const to = field(body, "To");
      const from = field(body, "From");
      const messagingServiceSid = field(body, "MessagingServiceSid");
      const text = typeof body.Body === "string" ? body.Body : undefined;
      if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!from && !messagingServiceSid) {
        return twilioError(res, 400, 21603, "A 'From' phone number is required.");
      }
      if (!text) return twilioError(res, 400, 21602, "Message body is required.");
      if (text.length > MAX_BODY) {
        return twilioError(
          res,
          400,
          21617,
          "The concatenated message body exceeds the 1600 character limit.",
        );
      }
      const sms: SentSms = { sid: `SM${randomBytes(16).toString("hex")}`, to, body: text };
      if (from) sms.from = from;
      if (messagingServiceSid) sms.messagingServiceSid = messagingServiceSid;
      sent.push(sms);
      options.onSent?.({ ...sms });
      res.status(201).json(messageResource(accountSid, sms));
    },
  );
  app.use((req: Request, res: Response) => {
    twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
  });

  const server = app.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve).once("error", reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent.map((sms) => ({ ...sms })),
    calls: () => calls,
    failNext(count, answer) {
      for (let i = 0; i < count; i++) failures.push(answer);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; close them so close() does not wait for their timeout.
        server.closeAllConnections();
      }),
  };
}
