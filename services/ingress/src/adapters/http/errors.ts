import type { ErrorRequestHandler, RequestHandler } from "express";
import type { IssueView } from "../../domain/dev-inbound.js";

/** The answer to a request that fails validation; nothing was done. */
export function invalidRequest(issues: IssueView[]) {
  return { error: "invalid request", issues };
}

/** What was wrong with a read's credentials. */
export type AuthenticationFailure = "missing" | "malformed" | "unknown";

const HOW_TO_AUTHENTICATE =
  "Send Authorization: Bearer <token>, with an API token of a person in the directory of people.";

/** A 401's challenge (RFC 6750) and body; neither ever holds the token presented. */
export function authenticationFailed(failure: AuthenticationFailure) {
  switch (failure) {
    case "missing":
      return {
        challenge: 'Bearer realm="textops"',
        body: { error: "authentication required", detail: HOW_TO_AUTHENTICATE },
      };
    case "malformed":
      return {
        challenge: 'Bearer realm="textops", error="invalid_request"',
        body: { error: "malformed authorization", detail: HOW_TO_AUTHENTICATE },
      };
    case "unknown":
      return {
        challenge: 'Bearer realm="textops", error="invalid_token"',
        body: {
          error: "invalid token",
          detail: "The token is not one of the directory of people.",
        },
      };
  }
}

/** The answer to `POST /dev/inbound` while a directory of people is in use and the channel is not opened. */
export function devChannelClosed() {
  return {
    error: "dev channel closed",
    detail:
      "POST /dev/inbound lets any caller speak as any address, so it is closed while a directory of people (USERS_FILE) is in use. Set DEV_CHANNEL=open on ingress to open it on purpose.",
  };
}

/** A run the reader may not see is answered exactly as one that does not exist. */
export const RUN_NOT_FOUND = { error: "run not found" } as const;

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: "not found", detail: `no route for ${req.method} ${req.path}` });
};

/** What body-parser and other http-errors style failures carry. */
interface ClientError {
  status: number;
  type?: string;
  expose?: boolean;
  message: string;
  limit?: number;
}

function clientErrorOf(error: unknown): ClientError | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== "number" || status < 400 || status >= 500) return null;
  return { ...(error as Partial<ClientError>), status, message: error.message };
}

/**
 * The last handler: malformed JSON is a 400, an oversized body a 413, other
 * client errors keep their status; anything else is logged with its stack
 * and hidden behind a generic 500.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const client = clientErrorOf(error);
  if (client?.type === "entity.parse.failed") {
    res.status(400).json(invalidRequest([{ path: "", message: "body is not valid JSON" }]));
  } else if (client?.type === "entity.too.large") {
    res.status(413).json({ error: "request body too large", limitBytes: client.limit });
  } else if (client) {
    res.status(client.status).json({ error: client.expose ? client.message : "bad request" });
  } else {
    req.log.error({ err: error }, "unexpected error");
    res.status(500).json({ error: "internal error" });
  }
};
