import {
  App,
  ExpressReceiver,
  UnknownError,
  type AuthorizeResult,
  type ReceiverProcessEventErrorHandlerArgs,
} from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { Router, type Request, type RequestHandler } from "express";
import { pino, type Logger } from "pino";
import { webhookScopeOf } from "../../adapters/http/request-context.js";
import { BrokerUnavailable, type InboundGateway } from "../../ports.js";
import { withoutSecret } from "../without-secret.js";
import { slackClientOptions } from "./slack-client.js";
import { registerSlackListeners, RequestScope, SCOPE_KEY } from "./slack-listeners.js";
import { slackSdkLogger } from "./slack-logger.js";

/** The request URL of the Slack app: its events, its slash command and its interactivity. */
export const SLACK_EVENTS_PATH = "/channels/slack/events";

/** Slack's requests older or newer than this are refused as possible replays. */
const MAX_SKEW_SECONDS = 5 * 60;

export interface SlackAppDeps {
  token: string;
  signingSecret: string;
  apiUrl: string;
  /** The client the sender uses too; here it asks auth.test for the bot's user id. */
  client: WebClient;
  gateway: InboundGateway;
  clock: () => number;
  /** Used when the app's request logging gave the request no logger. */
  log?: Logger;
}

export interface SlackApp {
  bolt: App;
  /** Mounted before the JSON parser: Bolt reads the raw body to check its signature. */
  routes: Router;
}

/**
 * Bolt checks the signature and refuses a timestamp over 5 minutes old; one
 * as far in the future is refused here, before Bolt reads the body.
 */
function freshTimestamp(clock: () => number, fallback: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get("x-slack-request-timestamp");
    if (given !== undefined && Math.abs(clock() / 1000 - Number(given)) <= MAX_SKEW_SECONDS) {
      next();
      return;
    }
    webhookScopeOf(req, fallback).log.warn(
      { timestamp: given ?? "missing" },
      "slack request refused: its timestamp is more than 5 minutes away",
    );
    res.status(401).end();
  };
}

/**
 * The bot's token, and its user id from auth.test (for stripping its
 * mention), asked once, on the first request, and kept once answered. Ours
 * rather than Bolt's: with tokenVerificationEnabled off (so that start-up
 * never needs Slack), Bolt 5.1 asks auth.test again on every request.
 * Slack out of reach only costs the mention's exact match.
 */
function authorizeOnce(deps: SlackAppDeps, log: Logger): () => Promise<AuthorizeResult> {
  let identity: Promise<AuthorizeResult> | undefined;
  return async () => {
    identity ??= deps.client.auth.test().then((result) => ({
      botToken: deps.token,
      botUserId: result.user_id,
      botId: result.bot_id,
    }));
    try {
      return await identity;
    } catch (error) {
      identity = undefined;
      const reason = withoutSecret(
        error instanceof Error ? error.message : String(error),
        deps.token,
      );
      log.warn({ reason }, "slack auth.test failed; mentions are stripped without the bot's id");
      return { botToken: deps.token };
    }
  };
}

/**
 * Bolt answers 500 when a listener throws (with processBeforeResponse the
 * answer is still unsent); a broker that did not take the message is a 503
 * instead, which Slack retries with the same ids, deduplicated downstream.
 */
function errorAnswer(fallback: Logger) {
  return ({ error, request, response }: ReceiverProcessEventErrorHandlerArgs) => {
    if (response.headersSent) return Promise.resolve(false);
    const cause = error instanceof UnknownError ? error.original : error;
    const { log } = webhookScopeOf(request as Partial<Request>, fallback);
    if (cause instanceof BrokerUnavailable) {
      log.warn({ reason: cause.message }, "message broker unavailable; slack will retry");
      response.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
      response.end(JSON.stringify({ error: "message broker unavailable" }));
    } else {
      log.error({ err: cause }, "slack request failed");
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "internal error" }));
    }
    return Promise.resolve(true);
  };
}

/**
 * The Slack app in HTTP mode: Bolt's ExpressReceiver at SLACK_EVENTS_PATH
 * checks each request's v0 signature, answers url_verification, and holds
 * the answer until the listener handed the message to the broker. Building
 * it calls nothing at Slack.
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const log = deps.log ?? pino({ level: "silent" });
  const sdkLogger = slackSdkLogger(log, [deps.token, deps.signingSecret]);
  const receiver = new ExpressReceiver({
    signingSecret: deps.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    processBeforeResponse: true,
    logger: sdkLogger,
    customPropertiesExtractor: (req) => {
      const scope = webhookScopeOf(req, log);
      return { [SCOPE_KEY]: new RequestScope(scope.log, scope.correlationId) };
    },
    processEventErrorHandler: errorAnswer(log),
  });
  const bolt = new App({
    receiver,
    authorize: authorizeOnce(deps, log),
    clientOptions: slackClientOptions({ token: deps.token, apiUrl: deps.apiUrl }, log),
    logger: sdkLogger,
    convoStore: false,
  });
  // Failures are answered and logged by errorAnswer; Bolt's own handler would log them twice.
  bolt.error((error) => Promise.reject(error));
  registerSlackListeners(bolt, { gateway: deps.gateway, clock: deps.clock });
  const routes = Router()
    .post(SLACK_EVENTS_PATH, freshTimestamp(deps.clock, log))
    .use(receiver.router);
  return { bolt, routes };
}
