import { createHmac, randomUUID } from "node:crypto";
import { directChannelOf } from "./fake-slack.js";

/** Where ingress takes Slack's events, slash commands and button presses (one request URL). */
export const SLACK_REQUEST_PATH = "/channels/slack/events";

/** `X-Slack-Signature` as Slack computes it: `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(
  signingSecret: string,
  timestamp: number | string,
  rawBody: string,
): string {
  const hmac = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`);
  return `v0=${hmac.digest("hex")}`;
}

/** A request as Slack makes it: POST `path` with this raw body and these headers. */
export interface SlackRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface SlackRequestSettings {
  signingSecret: string;
  /** The app's bot user: a mention is `<@botUserId> …`. */
  botUserId?: string;
  teamId?: string;
  /** Now, in milliseconds; the signature's timestamp is taken from it. */
  clock?: () => number;
}

/** What a single request may change: a stale timestamp, a forged signature, a retry's headers. */
export interface SigningOptions {
  /** X-Slack-Request-Timestamp in seconds; now unless given. */
  timestamp?: number;
  /** Sent instead of the right signature; null sends none. */
  signature?: string | null;
  /** Makes the request Slack's n-th retry (X-Slack-Retry-Num, X-Slack-Retry-Reason http_timeout). */
  retryNum?: number;
}

export interface EventOptions extends SigningOptions {
  /** The envelope's event_id; Slack's retries of one event share it. */
  eventId?: string;
}

let sequence = 0;
/** A fresh message ts, unique in this process ("1704110400.000001"). */
function nextTs(clock: () => number): string {
  sequence += 1;
  return `${Math.floor(clock() / 1000)}.${String(sequence % 1_000_000).padStart(6, "0")}`;
}

/**
 * Builds the requests Slack sends to an app's request URL, signed with the
 * app's signing secret: events (as JSON in an event_callback), slash
 * commands (form-encoded) and block_actions (a form's `payload`).
 */
export function slackRequests(settings: SlackRequestSettings) {
  const clock = settings.clock ?? Date.now;
  const teamId = settings.teamId ?? "T0FAKE001";
  const botUserId = settings.botUserId ?? "U0TEXTOPS";

  function signed(body: string, contentType: string, options: SigningOptions): SlackRequest {
    const timestamp = options.timestamp ?? Math.floor(clock() / 1000);
    const signature =
      options.signature === undefined
        ? slackSignature(settings.signingSecret, timestamp, body)
        : options.signature;
    return {
      path: SLACK_REQUEST_PATH,
      body,
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        ...(signature === null ? {} : { "x-slack-signature": signature }),
        ...(options.retryNum === undefined
          ? {}
          : {
              "x-slack-retry-num": String(options.retryNum),
              "x-slack-retry-reason": "http_timeout",
            }),
      },
    };
  }
  const json = (value: object, options: SigningOptions) =>
    signed(JSON.stringify(value), "application/json", options);
  const form = (fields: Record<string, string>, options: SigningOptions) =>
    signed(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded", options);

  /** An Events API delivery of `event`. */
  const event = (payload: Record<string, unknown>, options: EventOptions = {}) =>
    json(
      {
        token: "deprecated-verification-token",
        team_id: teamId,
        api_app_id: "A0TEXTOPS",
        event: { event_ts: payload.ts, ...payload },
        type: "event_callback",
        event_id:
          options.eventId ?? `Ev${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`,
        event_time: Math.floor(clock() / 1000),
        authorizations: [{ team_id: teamId, user_id: botUserId, is_bot: true }],
      },
      options,
    );

  return {
    /** Any request body, signed as Slack signs it. */
    signed,
    /** Slack checking the request URL when it is saved in the app's settings. */
    urlVerification: (challenge: string, options: SigningOptions = {}) =>
      json(
        { token: "deprecated-verification-token", challenge, type: "url_verification" },
        options,
      ),
    event,
    /** `user` writes `text` in their DM with the app (channel D… unless given). */
    directMessage(
      message: { user: string; text: string; channel?: string; ts?: string },
      options: EventOptions = {},
    ) {
      return event(
        {
          type: "message",
          channel: message.channel ?? directChannelOf(message.user),
          channel_type: "im",
          user: message.user,
          text: message.text,
          ts: message.ts ?? nextTs(clock),
        },
        options,
      );
    },
    /** `user` writes `@TextOps <text>` in a channel. */
    mention(
      message: { user: string; channel: string; text: string; ts?: string },
      options: EventOptions = {},
    ) {
      return event(
        {
          type: "app_mention",
          channel: message.channel,
          user: message.user,
          text: `<@${botUserId}> ${message.text}`,
          ts: message.ts ?? nextTs(clock),
        },
        options,
      );
    },
    /** `user` types `/textops <text>` in `channel`. */
    command(
      command: { user: string; channel: string; text: string; name?: string; triggerId?: string },
      options: SigningOptions = {},
    ) {
      return form(
        {
          token: "deprecated-verification-token",
          team_id: teamId,
          channel_id: command.channel,
          user_id: command.user,
          user_name: command.user.toLowerCase(),
          command: command.name ?? "/textops",
          text: command.text,
          api_app_id: "A0TEXTOPS",
          response_url: `https://hooks.slack.com/commands/${teamId}/1/fake`,
          trigger_id: command.triggerId ?? `${Date.now()}.${sequence++}.fake`,
        },
        options,
      );
    },
    /** `user` presses the button `value` (action `textops_reply_<index>`) under the message `messageTs`. */
    press(
      press: { user: string; channel: string; messageTs: string; value: string; actionId?: string },
      options: SigningOptions = {},
    ) {
      const payload = {
        type: "block_actions",
        user: { id: press.user, username: press.user.toLowerCase(), team_id: teamId },
        api_app_id: "A0TEXTOPS",
        token: "deprecated-verification-token",
        container: { type: "message", message_ts: press.messageTs, channel_id: press.channel },
        trigger_id: `${Date.now()}.${sequence++}.fake`,
        team: { id: teamId, domain: "textops-fake" },
        channel: { id: press.channel, name: "a-channel" },
        message: { type: "message", ts: press.messageTs, text: "", user: botUserId },
        response_url: `https://hooks.slack.com/actions/${teamId}/1/fake`,
        actions: [
          {
            type: "button",
            action_id: press.actionId ?? "textops_reply_0",
            block_id: "textops_actions",
            text: { type: "plain_text", text: press.value },
            value: press.value,
            action_ts: String(clock() / 1000),
          },
        ],
      };
      return form({ payload: JSON.stringify(payload) }, options);
    },
    /**
     * `user` submits a modal the app opened (`callbackId`, with the
     * `privateMetadata` it was opened with) after typing `value` into its
     * input `blockId`/`actionId`; Slack's view id is `viewId`.
     */
    viewSubmission(
      submission: {
        user: string;
        privateMetadata: string;
        value: string;
        viewId?: string;
        callbackId?: string;
        blockId?: string;
        actionId?: string;
      },
      options: SigningOptions = {},
    ) {
      const blockId = submission.blockId ?? "textops_value";
      const actionId = submission.actionId ?? "value";
      const payload = {
        type: "view_submission",
        team: { id: teamId, domain: "textops-fake" },
        user: { id: submission.user, username: submission.user.toLowerCase(), team_id: teamId },
        api_app_id: "A0TEXTOPS",
        token: "deprecated-verification-token",
        trigger_id: `${Date.now()}.${sequence++}.fake`,
        view: {
          id: submission.viewId ?? `V0FAKE${String(sequence++).padStart(3, "0")}`,
          type: "modal",
          callback_id: submission.callbackId ?? "textops_ask",
          private_metadata: submission.privateMetadata,
          state: {
            values: {
              [blockId]: { [actionId]: { type: "plain_text_input", value: submission.value } },
            },
          },
        },
      };
      return form({ payload: JSON.stringify(payload) }, options);
    },
  };
}

export type SlackRequests = ReturnType<typeof slackRequests>;

/** Sends `request` to the ingress at `baseUrl`, as Slack would. */
export async function sendSlackRequest(
  baseUrl: string,
  request: SlackRequest,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${baseUrl.replace(/\/+$/, "")}${request.path}`, {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, body: await response.text() };
}
