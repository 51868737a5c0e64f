import type { ReplyAction } from "@textops/contracts";
import { clipped } from "../split-text.js";
import { ASK_ACTION_PREFIX, askValueOf } from "./slack-ask.js";
import { REPLY_ACTION_PREFIX } from "./slack-inbound.js";

/** The longest text a section block shows. */
export const SECTION_TEXT_LIMIT = 3000;

interface PlainText {
  type: "plain_text";
  text: string;
}

interface Button {
  type: "button";
  action_id: string;
  text: PlainText;
  value: string;
  style?: "primary" | "danger";
}

/** The blocks TextOps sends: its text as a section, and its buttons, if any, under it. */
export type SlackBlock =
  { type: "section"; text: PlainText } | { type: "actions"; block_id: string; elements: Button[] };

/** A text as Slack wants it in `text`: its three control characters escaped. */
export function escapedText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const APPROVING = /^(approve|yes|confirm|ok)\b/i;
const DENYING = /^(deny|reject|no|cancel|stop)\b/i;

/** Approve-like buttons are green, deny-like ones red, others plain. */
function styleOf(label: string): Pick<Button, "style"> {
  if (APPROVING.test(label)) return { style: "primary" };
  if (DENYING.test(label)) return { style: "danger" };
  return {};
}

/**
 * The text (plain, clipped to what a section takes) and, when there are
 * actions, a row of buttons: `textops_reply_<i>`, each handing back its reply,
 * or `textops_ask_<i>` for one that asks for a value first (slack-ask.ts).
 */
export function blocksOf(text: string, actions: readonly ReplyAction[] = []): SlackBlock[] {
  const section: SlackBlock = {
    type: "section",
    text: { type: "plain_text", text: clipped(text, SECTION_TEXT_LIMIT) },
  };
  if (actions.length === 0) return [section];
  const elements = actions.map((action, i): Button => ({
    type: "button",
    text: { type: "plain_text", text: action.label },
    ...(action.asks === undefined
      ? { action_id: `${REPLY_ACTION_PREFIX}_${i}`, value: action.reply }
      : {
          action_id: `${ASK_ACTION_PREFIX}_${i}`,
          value: askValueOf({ reply: action.reply, asks: action.asks }),
        }),
    ...styleOf(action.label),
  }));
  return [section, { type: "actions", block_id: "textops_actions", elements }];
}
