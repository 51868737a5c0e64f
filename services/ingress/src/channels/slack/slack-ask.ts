import type { InboundMessage } from "@textops/contracts";
import { z } from "zod";
import { SLACK_CHANNEL } from "./slack-inbound.js";

/*
 * A button that asks for a value before it replies (Approve… on a request
 * that needs a confirm code): its press opens a modal with one input, and
 * the modal's submission is the reply with the value after it.
 */

/** The buttons that ask first: `textops_ask_<i>`. */
export const ASK_ACTION_PREFIX = "textops_ask";
/** The modal's callback id, which its submission comes back with. */
export const ASK_VIEW_ID = "textops_ask";
const INPUT_BLOCK = "textops_value";
const INPUT_ACTION = "value";

/** What an asking button carries as its value, and the modal as its private_metadata (with the channel). */
const Ask = z.object({ reply: z.string().min(1).max(60), asks: z.string().min(1).max(30) });
type Ask = z.infer<typeof Ask>;
const AskInChannel = Ask.extend({ channel: z.string().regex(/^[CDG][A-Z0-9]+$/) });

export const askValueOf = (ask: Ask): string => JSON.stringify(ask);

const AskPress = z.looseObject({
  type: z.literal("block_actions"),
  trigger_id: z.string().min(1),
  channel: z.looseObject({ id: z.string() }).optional(),
  container: z.looseObject({ channel_id: z.string().optional() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })),
});

/** A press of an asking button: what to ask, and where the answer goes; null for any other press. */
export function askPressOf(
  body: unknown,
): { triggerId: string; ask: Ask & { channel: string } } | null {
  const parsed = AskPress.safeParse(body);
  if (!parsed.success) return null;
  const { trigger_id: triggerId, channel, container, actions } = parsed.data;
  const action = actions.find((a) => a.action_id.startsWith(ASK_ACTION_PREFIX));
  const conversation = channel?.id ?? container?.channel_id;
  if (action?.value === undefined || conversation === undefined) return null;
  const ask = Ask.safeParse(parseJson(action.value));
  return ask.success ? { triggerId, ask: { ...ask.data, channel: conversation } } : null;
}

/** The modal a press opens: one line to type the value in. */
export function askModal(ask: Ask & { channel: string }) {
  return {
    type: "modal" as const,
    callback_id: ASK_VIEW_ID,
    private_metadata: JSON.stringify(ask),
    title: { type: "plain_text" as const, text: "TextOps" },
    submit: { type: "plain_text" as const, text: "Send" },
    close: { type: "plain_text" as const, text: "Cancel" },
    blocks: [
      {
        type: "input" as const,
        block_id: INPUT_BLOCK,
        label: { type: "plain_text" as const, text: ask.asks },
        element: { type: "plain_text_input" as const, action_id: INPUT_ACTION, max_length: 30 },
      },
    ],
  };
}

const Submission = z.looseObject({
  type: z.literal("view_submission"),
  user: z.looseObject({ id: z.string() }),
  view: z.looseObject({
    id: z.string().min(1),
    private_metadata: z.string(),
    state: z.looseObject({
      values: z.record(
        z.string(),
        z.record(z.string(), z.looseObject({ value: z.string().nullish() })),
      ),
    }),
  }),
});

/** What came of a submission: the reply it stands for, or why the modal must be filled in again. */
export type SubmittedAnswer =
  | { kind: "message"; message: InboundMessage }
  | { kind: "invalid"; errors: Record<string, string> };

/** A submitted modal as the reply with its value, from whoever submitted it; null when it is no modal of ours. */
export function submittedAnswerOf(body: unknown, receivedAt: string): SubmittedAnswer | null {
  const parsed = Submission.safeParse(body);
  if (!parsed.success) return null;
  const { user, view } = parsed.data;
  const ask = AskInChannel.safeParse(parseJson(view.private_metadata));
  if (!ask.success) return null;
  const value = view.state.values[INPUT_BLOCK]?.[INPUT_ACTION]?.value?.trim() ?? "";
  if (!/^\S{1,30}$/.test(value)) {
    return {
      kind: "invalid",
      errors: { [INPUT_BLOCK]: `Type the ${ask.data.asks.toLowerCase()}, without spaces.` },
    };
  }
  return {
    kind: "message",
    message: {
      channelId: SLACK_CHANNEL,
      providerMessageId: `view:${view.id}`,
      from: user.id,
      conversation: ask.data.channel,
      body: `${ask.data.reply} ${value}`,
      receivedAt,
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
