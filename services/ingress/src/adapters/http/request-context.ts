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

/** Adds fields to this request's logs from now on, and to its completion log. */
export function annotate(req: Request, res: Response, fields: Record<string, string>): Logger {
  res.locals.logFields = { ...res.locals.logFields, ...fields };
  req.log = req.log.child(fields);
  return req.log;
}

/** One log line per request, carrying the correlation id and what became known. */
export function requestLogging(log: Logger): RequestHandler {
  return pinoHttp<Request, Response>({
    logger: log,
    genReqId: (_req, res) => correlationIdOf(res),
    // Every log line of the request carries the correlation id under this name.
    customAttributeKeys: { reqId: "correlationId" },
    quietReqLogger: true,
    // Probes poll every few seconds; their lines would drown the rest.
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
    customProps: (_req, res) => ({ ...res.locals.logFields }),
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return "error";
      return res.statusCode >= 400 ? "warn" : "info";
    },
  });
}
