import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import express, {
  Router,
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import { BotError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import { pino, type Logger } from "pino";
import { z } from "zod";
import { invalidRequest } from "../../adapters/http/errors.js";
import { webhookScopeOf } from "../../adapters/http/request-context.js";
import { BrokerUnavailable, type InboundGateway, type InboundIds } from "../../ports.js";
import { validatedInbound } from "../validated-inbound.js";
import { buttonPressOf, pressAnswerOf, textMessageOf } from "./telegram-inbound.js";

export const TELEGRAM_WEBHOOK_PATH = "/channels/telegram/webhook";
const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

export interface TelegramWebhookDeps {
  /** The bot the sender uses too; this route registers its handlers on it, once. */
  bot: Bot;
  gateway: InboundGateway;
  /** The `secret_token` the webhook was registered with. */
  webhookSecret: string;
  clock: () => number;
  /** Used when the app's request logging gave the request no logger. */
  log?: Logger;
  /** How long a button press waits for the orchestrator's answer before it is acknowledged anyway. */
  replyWaitMs?: number;
}

/** What one update's handling needs beside the update: its logger and its ids. */
interface UpdateScope {
  log: Logger;
  correlationId: string;
}

/** Just enough of an update to hand it to grammY; grammY's filters read the rest. */
const UpdateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Telegram's secret header against ours, in time that does not depend on where they differ. */
function secretChecked(secret: string, fallback: Logger): RequestHandler {
  const expected = digest(secret);
  return (req, res, next) => {
    const given = req.get(SECRET_HEADER);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    webhookScopeOf(req, fallback).log.warn(
      { header: given === undefined ? "missing" : "wrong" },
      "telegram webhook call without the right secret token refused",
    );
    res.status(401).json({ error: "unauthorized" });
  };
}

/** A body that is no JSON is a 400; other failures go on to the app's error handler. */
const badJson: ErrorRequestHandler = (error, _req, res, next) => {
  if ((error as { type?: unknown }).type !== "entity.parse.failed") {
    next(error);
    return;
  }
  res.status(400).json(invalidRequest([{ path: "", message: "body is not valid JSON" }]));
};

/**
 * `POST /channels/telegram/webhook`: Telegram's updates, once its secret
 * token matched. A text is handed to the orchestrator (its replies go out
 * through the delivery consumer); a button press is handed on as the text
 * the button stands for and answered with the first line of the
 * orchestrator's reply. 200 for whatever TextOps does not take (other
 * updates, texts the schema refuses), since Telegram retries anything else;
 * 503 when the broker did not take the message, so that Telegram retries
 * with the same update_id, which the orchestrator deduplicates.
 */
export function telegramWebhookRoute(deps: TelegramWebhookDeps): Router {
  const fallbackLog = deps.log ?? pino({ level: "silent" });
  const scopes = registerHandlers(deps);
  return Router()
    .post(
      TELEGRAM_WEBHOOK_PATH,
      secretChecked(deps.webhookSecret, fallbackLog),
      express.json({ limit: "256kb" }),
      async (req: Request, res: Response) => {
        const parsed = UpdateShape.safeParse(req.body);
        if (!parsed.success) {
          res.status(400).json(invalidRequest([{ path: "", message: "not a Telegram update" }]));
          return;
        }
        const update = parsed.data as unknown as Update;
        const scope = webhookScopeOf(req, fallbackLog);
        const log = scope.log.child({ updateId: update.update_id });
        scopes.set(update, { log, correlationId: scope.correlationId });
        try {
          await deps.bot.handleUpdate(update);
        } catch (error) {
          const cause = error instanceof BotError ? error.error : error;
          if (!(cause instanceof BrokerUnavailable)) throw cause;
          log.warn({ reason: cause.message }, "message broker unavailable; telegram will retry");
          res.status(503).set("Retry-After", "5").json({ error: "message broker unavailable" });
          return;
        } finally {
          scopes.delete(update);
        }
        res.status(200).end();
      },
    )
    .use(badJson);
}

const routed = new WeakSet<Bot>();

/** The bot's handlers of texts and presses; each finds its update's scope in the map returned. */
function registerHandlers(deps: TelegramWebhookDeps): WeakMap<Update, UpdateScope> {
  if (routed.has(deps.bot)) throw new Error("this bot already serves a webhook route");
  routed.add(deps.bot);
  const scopes = new WeakMap<Update, UpdateScope>();
  const scopeOf = (update: Update): UpdateScope => {
    const scope = scopes.get(update);
    if (!scope) throw new Error("an update reached the bot outside the webhook route");
    return scope;
  };
  const receivedAt = () => new Date(deps.clock()).toISOString();
  const username = deps.bot.botInfo.username;
  const replyWaitMs = deps.replyWaitMs ?? 4000;

  deps.bot.on("message:text", async (ctx) => {
    const scope = scopeOf(ctx.update);
    const candidate = textMessageOf(ctx.update.update_id, ctx.message, receivedAt(), username);
    const message = candidate && validatedInbound(candidate, "telegram update", scope.log);
    if (!message) return;
    await deps.gateway.publish(message, idsOf(scope));
    scope.log.info({ from: message.from }, "telegram text handed on");
  });

  deps.bot.on("callback_query:data", async (ctx) => {
    const scope = scopeOf(ctx.update);
    const message = validatedInbound(
      buttonPressOf(ctx.update.update_id, ctx.callbackQuery, receivedAt()),
      "telegram update",
      scope.log,
    );
    if (!message) {
      await answered(() => ctx.answerCallbackQuery(), scope.log);
      return;
    }
    const outcome = deps.gateway.send(message, idsOf(scope));
    // The press is answered once the reply came or the wait ran out, but the
    // update is acknowledged only once the broker took the message.
    const wait = timeout(replyWaitMs);
    const first = await Promise.race([outcome, wait.done]).finally(wait.cancel);
    const text = pressAnswerOf(first, message.conversation);
    await answered(() => ctx.answerCallbackQuery(text === undefined ? {} : { text }), scope.log);
    await outcome;
    scope.log.info({ from: message.from }, "telegram button press handed on");
  });

  return scopes;
}

const idsOf = (scope: UpdateScope): InboundIds => ({
  correlationId: scope.correlationId,
  messageId: randomUUID(),
});

/** A press's answer failing (too late, say) does not fail the update: the message was taken. */
async function answered(answer: () => Promise<unknown>, log: Logger): Promise<void> {
  try {
    await answer();
  } catch (error) {
    log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "answerCallbackQuery failed",
    );
  }
}

function timeout(ms: number): { done: Promise<"timeout">; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}
