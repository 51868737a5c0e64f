import type { OutboundMessage } from "@textops/contracts";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import {
  DeliveryRefused,
  providerConversation,
  type ChannelSender,
  type SentCopy,
} from "../channel-sender.js";
import { clipped, splitText } from "../split-text.js";
import { KeyedBuckets, TokenBucket } from "../token-bucket.js";
import { blocksOf, escapedText } from "./slack-blocks.js";
import { deliveryErrorOf, isUnchanged } from "./slack-errors.js";
import { SLACK_CHANNEL } from "./slack-inbound.js";

/** Slack takes 40,000 characters in `text`; parts are cut shorter to leave room for the escapes. */
export const SLACK_TEXT_LIMIT = 40_000;
const PART_LIMIT = 36_000;

export interface SlackSenderDeps {
  clock?: () => number;
  log?: Logger;
  /** chat.postMessage takes about 1 message a second per channel, with short bursts. */
  perChannelPerSecond?: number;
  perChannelBurst?: number;
  /** The app's own pace over all channels. */
  perAppPerSecond?: number;
}

/** A channel (C…, G…, D…) or a user (U…, W…: the app's DM with them). */
const SLACK_ID = /^[CDGUW][A-Z0-9]{2,30}$/;

function channelOf(message: OutboundMessage): string {
  const channel = providerConversation(message.conversation);
  if (!SLACK_ID.test(channel)) {
    throw new DeliveryRefused(`not a Slack channel or user id: ${JSON.stringify(channel)}`);
  }
  return channel;
}

/** A copy's id is `<channel>:<ts>`, the channel as Slack answered (D… for a DM). */
function copyOf(copy: SentCopy): { channel: string; ts: string } {
  const id = copy.providerMessageIds.at(-1) ?? "";
  const colon = id.indexOf(":");
  const [channel, ts] = [id.slice(0, colon), id.slice(colon + 1)];
  if (colon < 0 || !SLACK_ID.test(channel) || !/^\d+\.\d+$/.test(ts)) {
    throw new DeliveryRefused("the copy to edit has no Slack channel and ts");
  }
  return { channel, ts };
}

/**
 * The Slack channel's sender: texts go out with chat.postMessage (split when
 * longer than Slack takes, the buttons under the last part) at the pace
 * Slack allows, and a replacing message updates the copy sent before.
 */
export function createSlackSender(client: WebClient, deps: SlackSenderDeps = {}): ChannelSender {
  const clock = deps.clock ?? Date.now;
  const perApp = new TokenBucket(
    { perInterval: deps.perAppPerSecond ?? 20, intervalMs: 1000 },
    clock,
  );
  const perChannel = new KeyedBuckets(
    {
      perInterval: deps.perChannelPerSecond ?? 1,
      intervalMs: 1000,
      burst: deps.perChannelBurst ?? 3,
    },
    clock,
  );

  async function turn(channel: string): Promise<void> {
    await perChannel.take(channel);
    await perApp.take();
  }

  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw deliveryErrorOf(error, client.token);
    }
  }

  return {
    channelId: SLACK_CHANNEL,

    async send(message) {
      let channel = channelOf(message);
      const parts = splitText(message.body, PART_LIMIT);
      const ids: string[] = [];
      for (const [index, text] of parts.entries()) {
        const last = index === parts.length - 1;
        await turn(channel);
        const sent = await call(() =>
          client.chat.postMessage({
            channel,
            text: escapedText(text),
            mrkdwn: false,
            ...(last && message.actions?.length ? { blocks: blocksOf(text, message.actions) } : {}),
          }),
        );
        if (!sent.channel || !sent.ts) throw new Error("chat.postMessage answered without a ts");
        channel = sent.channel;
        ids.push(`${sent.channel}:${sent.ts}`);
      }
      deps.log?.debug({ channel, providerMessageIds: ids }, "slack message sent");
      return { providerMessageIds: ids } satisfies SentCopy;
    },

    async edit(message, copy) {
      channelOf(message);
      const { channel, ts } = copyOf(copy);
      await turn(channel);
      try {
        await client.chat.update({
          channel,
          ts,
          text: escapedText(clipped(message.body, PART_LIMIT)),
          blocks: blocksOf(message.body, message.actions),
        });
      } catch (error) {
        if (!isUnchanged(error)) throw deliveryErrorOf(error, client.token);
      }
      deps.log?.debug({ channel, providerMessageId: `${channel}:${ts}` }, "slack message edited");
    },
  };
}
