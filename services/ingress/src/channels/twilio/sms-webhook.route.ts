import { randomUUID } from "node:crypto";
import { MAX_BODY_LENGTH, type InboundMessage } from "@textops/contracts";
import express, { Router, type Request, type Response } from "express";
import { pino, type Logger } from "pino";
import { z } from "zod";
import { invalidRequest } from "../../adapters/http/errors.js";
import { issuesOf } from "../../domain/dev-inbound.js";
import { BrokerUnavailable, type InboundGateway } from "../../ports.js";
import type { SmsOptOuts } from "./opt-out.store.js";
import { smsKeyword } from "./sms-keywords.js";
import { E164 } from "./twilio-config.js";
import { MessagingResponse, validateRequest } from "./twilio-sdk.js";

/** Where Twilio posts a number's incoming messages ("A message comes in"). */
export const TWILIO_SMS_PATH = "/channels/twilio/sms";

/** The fields TextOps reads of Twilio's webhook form; Twilio sends many more. */
export const TwilioSmsForm = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, "expected a message SID"),
  From: z.string().regex(E164, "expected an E.164 number"),
  To: z.string().min(1).max(200),
  Body: z.string().max(MAX_BODY_LENGTH),
  OptOutType: z.string().max(40).optional(),
});
export type TwilioSmsForm = z.infer<typeof TwilioSmsForm>;

/** The text as the orchestrator takes it; it makes the address and conversation `sms:<From>`. */
export function toSmsInbound(form: TwilioSmsForm, receivedAt: string, body = form.Body) {
  return {
    channelId: "sms",
    providerMessageId: form.MessageSid,
    from: form.From,
    conversation: form.From,
    body,
    receivedAt,
  } satisfies InboundMessage;
}

export interface TwilioSmsRouteDeps {
  gateway: InboundGateway;
  optOuts: SmsOptOuts;
  authToken: string;
  /** PUBLIC_BASE_URL, without a trailing slash: the webhook URL Twilio signed is rebuilt from it. */
  publicBaseUrl: string;
  clock: () => number;
  /** Used where the app's request logging gave the request no logger of its own. */
  log?: Logger;
}

/** Empty TwiML: Twilio sends nothing back itself; replies go out through the REST API. */
const EMPTY_TWIML = new MessagingResponse().toString();
const silent = pino({ level: "silent" });

/**
 * `POST /channels/twilio/sms`: checks Twilio's signature (403 without a valid
 * one), reads the form (400), records STOP/START keywords without handing
 * them on, publishes any other text (HELP as "help") and answers empty TwiML
 * once the broker confirmed, or 503 so that Twilio tries again later.
 */
export function twilioSmsRoute(deps: TwilioSmsRouteDeps): Router {
  const webhookUrl = deps.publicBaseUrl.replace(/\/+$/, "") + TWILIO_SMS_PATH;
  const parseForm = express.urlencoded({ extended: false, limit: "64kb" });

  return Router().post(TWILIO_SMS_PATH, parseForm, async (req: Request, res: Response) => {
    const log = (req.log as Logger | undefined) ?? deps.log ?? silent;
    const params = (req.body ?? {}) as Record<string, unknown>;
    const signature = req.get("X-Twilio-Signature");
    if (!signature || !validateRequest(deps.authToken, signature, webhookUrl, params)) {
      log.warn(
        { signature: signature ? "mismatch" : "missing", webhookUrl },
        "Twilio webhook refused: no valid X-Twilio-Signature for PUBLIC_BASE_URL (see Twilio error 57012)",
      );
      res.status(403).json({ error: "invalid signature" });
      return;
    }
    const parsed = TwilioSmsForm.safeParse(params);
    if (!parsed.success) {
      res.status(400).json(invalidRequest(issuesOf(parsed.error)));
      return;
    }
    const form = parsed.data;
    const at = deps.clock();
    const keyword = smsKeyword(form.Body, form.OptOutType);
    log.info({ providerMessageId: form.MessageSid, keyword }, "Twilio SMS received");
    if (keyword === "opt-out" || keyword === "opt-in") {
      if (keyword === "opt-out") await deps.optOuts.optOut(form.From, new Date(at));
      else await deps.optOuts.optIn(form.From, new Date(at));
      twiml(res);
      return;
    }
    const message = toSmsInbound(
      form,
      new Date(at).toISOString(),
      keyword === "help" ? "help" : form.Body,
    );
    const correlationId = res.locals.correlationId ?? randomUUID();
    try {
      await deps.gateway.publish(message, { correlationId, messageId: randomUUID() });
    } catch (error) {
      if (!(error instanceof BrokerUnavailable)) throw error;
      log.warn({ reason: error.message }, "message broker unavailable; Twilio will retry");
      res.status(503).json({ error: "message broker unavailable" });
      return;
    }
    twiml(res);
  });
}

function twiml(res: Response): void {
  res.status(200).type("text/xml").send(EMPTY_TWIML);
}
