import { randomUUID } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";

declare module "express-serve-static-core" {
  interface Locals {
    /** From the x-correlation-id header, or made for this request. */
    correlationId?: string;
    /** Added to the request's completion log once known (messageId, runId). */
    logFields?: Record<string, string>;
  }
}

export const CORRELATION_HEADER = "x-correlation-id";

/** A caller's correlation id is kept when it is a sane token; anything else is replaced. */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,200}$/;

/** Takes the caller's x-correlation-id (or makes one) and echoes it on the response. */
export function correlation(): RequestHandler {
  return (req, res, next) => {
    const given = req.get(CORRELATION_HEADER);
    const correlationId = given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
    res.locals.correlationId = correlationId;
    res.locals.logFields = {};
    res.setHeader(CORRELATION_HEADER, correlationId);
    next();
  };
}

export function correlationIdOf(res: Response): string {
  const id = res.locals.correlationId;
  if (!id) throw new Error("the correlation middleware did not run");
  return id;
}

/**
 * A provider webhook's view of its request: the request's logger and
 * correlation id when the app's middleware ran, else the route's own logger
 * and a fresh id (a route served, or tested, on its own).
 */
export function webhookScopeOf(
  req: Partial<Pick<Request, "log" | "res">>,
  fallback: Logger,
): { log: Logger; correlationId: string } {
  // pino-http types req.log as always there; without the app's middleware it is not.
  const own: Logger | undefined = req.log;
  const id: string | undefined = req.res?.locals.correlationId;
  return { log: own ?? fallback, correlationId: id ?? randomUUID() };
}

/** Adds fields to this request's logs from now on, and to its completion log. */
export function annotate(req: Request, res: Response, fields: Record<string, string>): Logger {
  res.locals.logFields = { ...res.locals.logFields, ...fields };
  req.log = req.log.child(fields);
  return req.log;
}

/** Probes poll every few seconds; their lines would drown the rest. */
const isProbe = (req: Request) => req.url === "/healthz" || req.url === "/readyz";

/** Headers whose values are secrets: never written to a log, at any level. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-telegram-bot-api-secret-token",
  "x-twilio-signature",
  "x-slack-signature",
]);

function redacted(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SECRET_HEADERS.has(name.toLowerCase()) ? "[Redacted]" : value,
    ]),
  );
}

/** What a request's line says at `info`: what was asked, how it ended, and its ids. */
function summaryOf(req: Request, res: Response, durationMs: number) {
  return {
    method: req.method,
    path: req.originalUrl.split("?", 1)[0],
    status: res.statusCode,
    durationMs,
    ...res.locals.logFields,
  };
}

/** The request and response as pino serializes them, with the secret headers redacted. */
const serializers = {
  req: (req: { headers: Record<string, unknown> }) => ({ ...req, headers: redacted(req.headers) }),
  res: (res: { headers: Record<string, unknown> }) => ({ ...res, headers: redacted(res.headers) }),
};

/** What pino-http hands the functions that build a request's line. */
interface Timing {
  responseTime: number;
}

/**
 * One concise line per request at `info` (method, path, status, duration,
 * the correlation id and what became known, such as the run id), and its
 * details at `debug`.
 */
export function requestLogging(log: Logger): RequestHandler {
  const summary = pinoHttp<Request, Response>({
    logger: log,
    genReqId: (_req, res) => correlationIdOf(res),
    // Every log line of the request carries the correlation id under this name.
    customAttributeKeys: { reqId: "correlationId" },
    quietReqLogger: true,
    quietResLogger: true,
    serializers,
    autoLogging: { ignore: isProbe },
    customSuccessObject: (req, res, fields: Timing) => summaryOf(req, res, fields.responseTime),
    customErrorObject: (req, res, error, fields: Timing) => ({
      ...summaryOf(req, res, fields.responseTime),
      err: error,
    }),
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return "error";
      return res.statusCode >= 400 ? "warn" : "info";
    },
  });
  return (req, res, next) => {
    summary(req, res);
    if (!isProbe(req) && req.log.isLevelEnabled("debug")) {
      // The details: the full URL, the headers both ways (secrets redacted).
      res.once("finish", () => req.log.debug({ req, res }, "request details"));
    }
    next();
  };
}
