import type { Router } from "express";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { DevMessageStore, InboundGateway } from "../ports.js";
import { DeliveryRefused, type ChannelSender } from "./channel-sender.js";
import type { ChannelsConfig } from "./channel-variables.js";
import { createDevSender } from "./dev/dev-sender.js";
import { createSlackApp, SLACK_EVENTS_PATH } from "./slack/slack-app.js";
import { createSlackClient } from "./slack/slack-client.js";
import { slackSettings } from "./slack/slack-config.js";
import { createSlackSender } from "./slack/slack-sender.js";
import { createTelegramBot } from "./telegram/telegram-bot.js";
import { telegramSettings } from "./telegram/telegram-config.js";
import { createTelegramSender } from "./telegram/telegram-sender.js";
import { telegramWebhookRoute } from "./telegram/telegram-webhook.route.js";
import { createSmsOptOutStore } from "./twilio/opt-out.store.js";
import { TWILIO_SMS_PATH, twilioSmsRoute } from "./twilio/sms-webhook.route.js";
import { twilioSettings } from "./twilio/twilio-config.js";
import { createTwilioSender } from "./twilio/twilio-sender.js";

/** A channel: how its messages go out, and the webhook its provider calls, if any. */
export interface Channel {
  sender: ChannelSender;
  routes?: Router;
}

export interface ChannelDeps {
  db: Db;
  gateway: InboundGateway;
  devMessages: DevMessageStore;
  log: Logger;
  clock: () => number;
}

/**
 * Every channel ingress runs: the dev channel always, Twilio SMS, Telegram
 * and Slack when their credentials are set. A channel without them is off, says so at
 * start-up, and refuses what is queued for it (reported on the run's
 * timeline) rather than leaving it in its queue.
 */
export function buildChannels(config: ChannelsConfig, deps: ChannelDeps): Channel[] {
  const { log, clock } = deps;
  const channels: Channel[] = [{ sender: createDevSender(deps.devMessages, clock) }];

  const twilio = twilioSettings(config);
  if (twilio.on) {
    const optOuts = createSmsOptOutStore(deps.db);
    channels.push({
      sender: createTwilioSender(twilio, { optOuts, clock, log }),
      routes: twilioSmsRoute({
        gateway: deps.gateway,
        optOuts,
        authToken: twilio.authToken,
        publicBaseUrl: twilio.publicBaseUrl,
        clock,
        log,
      }),
    });
    const webhook = twilio.publicBaseUrl + TWILIO_SMS_PATH;
    log.info(
      { channel: "sms", webhook },
      `channel sms on: texts from ${twilio.from}; Twilio's webhook is ${webhook}`,
    );
  } else {
    channels.push({ sender: offChannel("sms", twilio.missing) });
    logOff(log, "sms", twilio.missing, 4);
  }

  const telegram = telegramSettings(config);
  if (telegram.on) {
    const bot = createTelegramBot(telegram);
    channels.push({
      sender: createTelegramSender(bot, { clock, log }),
      routes: telegramWebhookRoute({
        bot,
        gateway: deps.gateway,
        webhookSecret: telegram.webhookSecret,
        clock,
        log,
      }),
    });
    log.info(
      { channel: "telegram", bot: telegram.username },
      `channel telegram on: bot @${telegram.username}; register its webhook with npm run telegram:webhook`,
    );
  } else {
    channels.push({ sender: offChannel("telegram", telegram.missing) });
    logOff(log, "telegram", telegram.missing, 2);
  }

  const slack = slackSettings(config);
  if (slack.on) {
    const client = createSlackClient(slack, log);
    const app = createSlackApp({ ...slack, client, gateway: deps.gateway, clock, log });
    channels.push({ sender: createSlackSender(client, { clock, log }), routes: app.routes });
    const url = (config.publicBaseUrl ?? "") + SLACK_EVENTS_PATH;
    log.info(
      { channel: "slack", requestUrl: url },
      `channel slack on: request URL is ${url} (events, the slash command and interactivity)`,
    );
  } else {
    channels.push({ sender: offChannel("slack", slack.missing) });
    logOff(log, "slack", slack.missing, 2);
  }
  return channels;
}

/** A channel that is off: what the orchestrator sends on it is refused with the reason. */
function offChannel(channelId: string, missing: readonly string[]): ChannelSender {
  const reason = `the ${channelId} channel is off (${missing.join(", ")} unset)`;
  return {
    channelId,
    send: () => Promise.reject(new DeliveryRefused(reason)),
  };
}

/** Off on purpose (nothing set) is news; half set up is a mistake worth a warning. */
function logOff(log: Logger, channel: string, missing: readonly string[], required: number) {
  const message = `channel ${channel} off: ${missing.join(", ")} unset`;
  if (missing.length < required) log.warn({ channel, missing }, message);
  else log.info({ channel, missing }, message);
}
