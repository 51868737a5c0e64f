import { randomUUID } from "node:crypto";
import type { App, Context } from "@slack/bolt";
import type { InboundMessage } from "@textops/contracts";
import type { Logger } from "pino";
import type { InboundGateway } from "../../ports.js";
import { validatedInbound } from "../validated-inbound.js";
import { ASK_VIEW_ID, askModal, askPressOf, submittedAnswerOf } from "./slack-ask.js";
import { commandMessageOf, eventMessageOf, pressMessageOf } from "./slack-inbound.js";

/** What one request's handling needs beside its body: its logger and its correlation id. */
export class RequestScope {
  constructor(
    readonly log: Logger,
    readonly correlationId: string,
  ) {}
}

/** The key of the RequestScope in a listener's context (the receiver's customProperties). */
export const SCOPE_KEY = "textopsScope";

function scopeOf(context: Context): RequestScope {
  const scope: unknown = context[SCOPE_KEY];
  if (!(scope instanceof RequestScope)) throw new Error("a Slack request without its scope");
  return scope;
}

export interface SlackListenerDeps {
  gateway: InboundGateway;
  clock: () => number;
}

/**
 * Registers what TextOps takes from Slack: DMs and mentions, the slash
 * command (any name the app gives it; the manifest says /textops),
 * presses of its buttons, and the modal a button that asks opens. Each is handed on once the broker took it; a
 * command and a press are acknowledged (with an empty body: the answer
 * comes as a message) only then, and an event's answer waits too
 * (processBeforeResponse), so a broker failure fails the request and Slack
 * retries it. What is not for TextOps is acknowledged and dropped.
 */
export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const receivedAt = () => new Date(deps.clock()).toISOString();

  async function handOn(candidate: InboundMessage | null, context: Context, what: string) {
    const scope = scopeOf(context);
    const message = candidate && validatedInbound(candidate, "slack request", scope.log);
    if (!message) return;
    const ids = { correlationId: scope.correlationId, messageId: randomUUID() };
    await deps.gateway.publish(message, ids);
    scope.log.info(
      { from: message.from, providerMessageId: message.providerMessageId },
      `slack ${what} handed on`,
    );
  }

  app.event("message", async ({ event, context }) => {
    await handOn(eventMessageOf(event, receivedAt(), context.botUserId), context, "message");
  });
  app.event("app_mention", async ({ event, context }) => {
    await handOn(eventMessageOf(event, receivedAt(), context.botUserId), context, "mention");
  });
  app.command(/.*/, async ({ command, ack, context }) => {
    await handOn(commandMessageOf(command, receivedAt()), context, "command");
    await ack();
  });
  app.action(/.*/, async ({ body, ack, context, client }) => {
    const asking = askPressOf(body);
    if (asking === null) {
      await handOn(pressMessageOf(body, receivedAt()), context, "button press");
      await ack();
      return;
    }
    // Nothing is handed on yet: the modal's submission is the reply.
    await ack();
    try {
      await client.views.open({ trigger_id: asking.triggerId, view: askModal(asking.ask) });
    } catch (error) {
      scopeOf(context).log.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        "slack views.open failed; the modal did not open",
      );
    }
  });
  app.view(ASK_VIEW_ID, async ({ body, ack, context }) => {
    const answer = submittedAnswerOf(body, receivedAt());
    if (answer?.kind === "invalid") {
      await ack({ response_action: "errors", errors: answer.errors });
      return;
    }
    await handOn(answer?.message ?? null, context, "modal submission");
    await ack();
  });
}
