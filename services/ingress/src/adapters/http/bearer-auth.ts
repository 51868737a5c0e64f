import type { RequestHandler, Response } from "express";
import type { Reader } from "../../domain/read-access.js";
import type { People } from "../../ports.js";
import { authenticationFailed, type AuthenticationFailure } from "./errors.js";
import { annotate } from "./request-context.js";

declare module "express-serve-static-core" {
  interface Locals {
    /** Who reads, once the read middleware ran: anyone (open mode) or the token's person. */
    reader?: Reader;
  }
}

/** `Bearer <token>`, the scheme in any case (RFC 6750's b64token, and a little more). */
const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

const ANYONE: Reader = { mode: "open" };

/**
 * Who reads, for the routes behind it. Open mode: anyone, without a header.
 * Closed mode: the person of `Authorization: Bearer <token>`; without one,
 * with a malformed one or an unknown token, a 401 that never shows the token.
 */
export function readerAuth(people: People): RequestHandler {
  if (people.mode === "open") {
    return (_req, res, next) => {
      res.locals.reader = ANYONE;
      next();
    };
  }
  return (req, res, next) => {
    const header = req.get("authorization");
    if (header === undefined) return refuse(res, "missing");
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return refuse(res, "malformed");
    const person = people.directory.personForToken(token);
    if (person === undefined) return refuse(res, "unknown");
    annotate(req, res, { personId: person.id });
    res.locals.reader = { mode: "closed", person };
    next();
  };
}

function refuse(res: Response, failure: AuthenticationFailure): void {
  const { challenge, body } = authenticationFailed(failure);
  res.status(401).set("WWW-Authenticate", challenge).json(body);
}

/** The reader the middleware found; a route mounted without it fails rather than shows. */
export function readerOf(res: Response): Reader {
  const reader = res.locals.reader;
  if (!reader) throw new Error("the reader middleware did not run");
  return reader;
}
