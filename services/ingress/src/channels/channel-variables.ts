import type { ConfigOf } from "@textops/runtime";
import { slackVariables } from "./slack/slack-config.js";
import { telegramVariables } from "./telegram/telegram-config.js";
import { twilioVariables } from "./twilio/twilio-config.js";

/** The variables of every provider channel; each channel is on once its credentials are set. */
export const channelVariables = { ...twilioVariables, ...telegramVariables, ...slackVariables };

export type ChannelsConfig = ConfigOf<typeof channelVariables>;
