import { z } from "zod";

/** The channels a person can be reached on, as the prefix of an address. */
export const CHANNEL_NAMES = ["dev", "sms", "telegram", "slack"] as const;
export const ChannelName = z.enum(CHANNEL_NAMES);
export type ChannelName = z.infer<typeof ChannelName>;

/** What the id after each channel's prefix must look like, and the rule said when it does not. */
const CHANNEL_IDS: Record<ChannelName, { id: RegExp; rule: string }> = {
  dev: { id: /^\S+$/, rule: 'a dev address is "dev:" then an id without whitespace' },
  sms: {
    id: /^\+[1-9][0-9]{7,14}$/,
    rule: 'an sms address is "sms:" then an E.164 number, + and 8-15 digits (e.g. "sms:+15551230001")',
  },
  telegram: {
    id: /^[1-9][0-9]*$/,
    rule: 'a telegram address is "telegram:" then a numeric user id (e.g. "telegram:4242")',
  },
  slack: {
    id: /^[UW][A-Z0-9]+$/,
    rule: 'a slack address is "slack:" then a Slack user id: U or W, then upper-case letters or digits (e.g. "slack:U02ABCDEF")',
  },
};

const isChannel = (name: string): name is ChannelName =>
  (CHANNEL_NAMES as readonly string[]).includes(name);

/** The channel of an address (its prefix, in any case), or undefined when it names none of ours. */
export function addressChannel(address: string): ChannelName | undefined {
  const colon = address.indexOf(":");
  const channel = colon < 0 ? "" : address.slice(0, colon).toLowerCase();
  return isChannel(channel) ? channel : undefined;
}

/** Why `address` is not a valid address, or undefined when it is one. */
export function addressProblem(address: string): string | undefined {
  const colon = address.indexOf(":");
  if (colon < 0) return 'an address is <channel>:<id>, e.g. "sms:+15551230001"';
  const [prefix, id] = [address.slice(0, colon), address.slice(colon + 1)];
  const channel = addressChannel(address);
  if (channel === undefined) {
    return `unknown channel ${JSON.stringify(prefix)}; the channels are ${CHANNEL_NAMES.join(", ")}`;
  }
  if (prefix !== channel)
    return `channel ${JSON.stringify(prefix)} must be lower-case: "${channel}:"`;
  const { id: pattern, rule } = CHANNEL_IDS[channel];
  return pattern.test(id) ? undefined : rule;
}

/** `<channel>:<id>`: where a person sends from and is reached, e.g. `sms:+15551230001`. */
export const Address = z.string().superRefine((address, context) => {
  const problem = addressProblem(address);
  if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
});
export type Address = z.infer<typeof Address>;
