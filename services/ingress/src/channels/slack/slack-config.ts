import { secretVariable, variable, type ConfigOf } from "@textops/runtime";
import { z } from "zod";

/** A bot token as Slack gives it on the app's "OAuth & Permissions" page. */
export const BOT_TOKEN = /^xoxb-[A-Za-z0-9-]{1,250}$/;

/**
 * The variables of the Slack channel, spread into ingress's configLoader.
 * The channel is on when both the bot token and the signing secret are set.
 */
export const slackVariables = {
  slackBotToken: secretVariable(
    "SLACK_BOT_TOKEN",
    z.string().regex(BOT_TOKEN, 'expected a bot token ("xoxb-…")').optional(),
  ),
  slackSigningSecret: secretVariable(
    "SLACK_SIGNING_SECRET",
    z
      .string()
      .regex(/^\S{1,200}$/, "must be 1–200 characters without spaces")
      .optional(),
  ),
  /** Where the Web API is; only tests and the local fakes point it elsewhere. */
  slackApiUrl: variable(
    "SLACK_API_URL",
    z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/*$/, "/"))
      .default("https://slack.com/api/"),
  ),
};

export type SlackConfig = ConfigOf<typeof slackVariables>;

/** The channel's settings once configured, or the variables it still needs. */
export type SlackSettings =
  | { on: true; token: string; signingSecret: string; apiUrl: string }
  | { on: false; missing: string[] };

export function slackSettings(config: SlackConfig): SlackSettings {
  const { slackBotToken: token, slackSigningSecret: signingSecret } = config;
  if (token === undefined || signingSecret === undefined) {
    const missing = [
      ...(token === undefined ? ["SLACK_BOT_TOKEN"] : []),
      ...(signingSecret === undefined ? ["SLACK_SIGNING_SECRET"] : []),
    ];
    return { on: false, missing };
  }
  return { on: true, token, signingSecret, apiUrl: config.slackApiUrl };
}
