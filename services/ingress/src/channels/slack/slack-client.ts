import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "pino";
import { slackSdkLogger } from "./slack-logger.js";

/** How long one Web API call may take before it fails as a network error (the SDK waits forever). */
const CALL_TIMEOUT_MS = 10_000;

export interface SlackClientSettings {
  token: string;
  apiUrl: string;
}

/**
 * The WebClient's options: SLACK_API_URL, no retries of its own and a 429
 * thrown at once (the delivery consumer retries through the delay queues,
 * without holding a message while it waits), a bounded call.
 */
export function slackClientOptions(settings: SlackClientSettings, log?: Logger): WebClientOptions {
  return {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: CALL_TIMEOUT_MS,
    logger: slackSdkLogger(log, [settings.token]),
  };
}

/** The client the sender and the app's auth.test share; it makes no call when built. */
export function createSlackClient(settings: SlackClientSettings, log?: Logger): WebClient {
  return new WebClient(settings.token, slackClientOptions(settings, log));
}
