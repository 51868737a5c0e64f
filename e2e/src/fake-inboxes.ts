import type { FakeSlack, FakeSlackMessage, FakeTelegram, FakeTwilio } from "@textops/channel-fakes";
import { vi } from "@textops/testing";
import type { RunView } from "./http-client.js";

/** Waits for `find` to find something; `what` names it, with what there is so far. */
export const waitFor = <T>(what: string | (() => string), find: () => T | undefined) =>
  vi.waitFor(
    () => {
      const found = find();
      if (found === undefined) {
        throw new Error(`${typeof what === "string" ? what : what()}: not yet`);
      }
      return found;
    },
    { timeout: 20_000, interval: 50 },
  );

/** What TextOps sent through the providers' stand-ins, waited for. */
export function fakeInboxes(fakes: {
  twilio: FakeTwilio;
  telegram: FakeTelegram;
  slack?: FakeSlack;
}) {
  const { twilio, telegram, slack } = fakes;
  return {
    /** An SMS to `to` that `found` accepts. */
    untilSms: (to: string, found: (body: string) => boolean) =>
      waitFor(`an SMS to ${to}`, () => twilio.sent().find((m) => m.to === to && found(m.body))),
    /** A Telegram message from the bot to `chat` that `found` accepts. */
    untilTelegram: (chat: number, found: (text: string) => boolean) =>
      waitFor(`a Telegram message to ${chat}`, () =>
        telegram.messages(chat).find((m) => found(m.text)),
      ),
    /** The app's message in `channel` (a user id reads the app's DM with them) that `found` accepts. */
    untilSlack: (channel: string, found: (message: FakeSlackMessage) => boolean) => {
      if (!slack) throw new Error("no fake Slack given");
      return waitFor(
        () =>
          `a Slack message in ${channel} (so far ${JSON.stringify(slack.messages(channel).map((m) => m.text))})`,
        () => slack.messages(channel).find(found),
      );
    },
  };
}

/** A Telegram message's inline buttons, in order. */
export const telegramButtons = (message: { reply_markup?: unknown }) =>
  (
    (message.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] })
      ?.inline_keyboard ?? []
  ).flat();

/** The payloads of a run's notice events of `type` (NoticeDelivered, NoticeEdited, …). */
export const noticesOf = (view: RunView, type: string) =>
  view.events
    .filter((e) => e.type === type)
    .map((e) => e.payload as { idempotencyKey: string; channelId: string; reason?: string });
