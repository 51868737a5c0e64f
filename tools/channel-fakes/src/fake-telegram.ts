import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";
import express, { type Request, type Response } from "express";
import { parsedParams } from "./form-params.js";

/** A call the fake took, with its parameters as the client sent them (form values parsed as JSON where they are). */
export interface FakeTelegramCall {
  method: string;
  params: Record<string, unknown>;
}

/** A message the bot sent, as it stands now (edits applied). */
export interface FakeTelegramMessage {
  message_id: number;
  chatId: string;
  text: string;
  /** Absent when the message has no buttons. */
  reply_markup?: unknown;
}

/** A Telegram-style refusal: `{ ok: false, error_code: status, description, parameters: { retry_after } }`. */
export interface FakeTelegramFailure {
  status: number;
  description?: string;
  retryAfterSeconds?: number;
}

export interface FakeTelegram {
  /** What to give grammY as `client.apiRoot`, e.g. "http://127.0.0.1:PORT". */
  apiRoot: string;
  /** The calls taken with the right token, in order; only those of `method` when given. */
  calls(method?: string): FakeTelegramCall[];
  /** The chat's messages from the bot, oldest first. */
  messages(chatId: string | number): FakeTelegramMessage[];
  /** The next `n` calls, whatever their method, are answered with `answer`. */
  failNext(n: number, answer: FakeTelegramFailure): void;
  /** The parameters of the last setWebhook, or undefined (none, or deleted since). */
  webhook(): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export interface FakeTelegramOptions {
  token: string;
  /** 0 (any free port) unless given. */
  port?: number;
  /** 127.0.0.1 unless given (0.0.0.0 in a container). */
  host?: string;
  /** Told of each call taken with the right token (the CLI prints them). */
  onCall?: (call: FakeTelegramCall) => void;
}

/** A method's answer: its result, or a refusal. */
type Outcome = { result: unknown } | FakeTelegramFailure;

class Refusal extends Error {
  constructor(readonly failure: FakeTelegramFailure) {
    super(failure.description);
  }
}

const badRequest = (what: string) =>
  new Refusal({ status: 400, description: `Bad Request: ${what}` });

function stringParam(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  throw badRequest(`${name} is empty`);
}

/** An inline keyboard with buttons, or undefined for none (an empty keyboard removes the buttons). */
function keyboardOf(markup: unknown): unknown {
  if (markup === undefined) return undefined;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) throw badRequest("can't parse reply keyboard markup JSON object");
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button");
    for (const button of row as { text?: unknown; callback_data?: unknown }[]) {
      if (typeof button.text !== "string" || button.text === "") {
        throw badRequest("can't parse inline keyboard button: Text must be non-empty");
      }
      const data = button.callback_data;
      if (typeof data === "string" && (data === "" || Buffer.byteLength(data) > 64)) {
        throw badRequest("BUTTON_DATA_INVALID");
      }
    }
  }
  return rows.some((row) => Array.isArray(row) && row.length > 0) ? markup : undefined;
}

function checkedText(params: Record<string, unknown>): string {
  const text = typeof params.text === "string" ? params.text.trim() : "";
  if (text === "") throw badRequest("message text is empty");
  if (text.length > 4096) throw badRequest("message is too long");
  return text;
}

function checkedWebhookUrl(raw: unknown): void {
  let url: URL;
  try {
    url = new URL(typeof raw === "string" ? raw : "");
  } catch {
    throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
  }
  if (url.protocol !== "https:")
    throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
  if (!["", "80", "88", "443", "8443"].includes(url.port)) {
    throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  }
}

/**
 * A local stand-in for the Telegram Bot API: POST /bot<token>/<method>, the
 * methods TextOps calls, and Telegram's answers, failures included.
 */
export async function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  const botId = Number(options.token.split(":", 1)[0]);
  const recorded: FakeTelegramCall[] = [];
  const chats = new Map<string, FakeTelegramMessage[]>();
  const failures: FakeTelegramFailure[] = [];
  let nextMessageId = 1;
  let webhook: Record<string, unknown> | undefined;

  const chatOf = (chatId: string) => {
    let messages = chats.get(chatId);
    if (!messages) chats.set(chatId, (messages = []));
    return messages;
  };
  const asMessage = (message: FakeTelegramMessage) => ({
    message_id: message.message_id,
    from: { id: botId, is_bot: true, first_name: "TextOps", username: "fake_bot" },
    chat:
      Number(message.chatId) < 0
        ? { id: Number(message.chatId), type: "group", title: "a group" }
        : { id: Number(message.chatId), type: "private", first_name: "someone" },
    date: Math.floor(Date.now() / 1000),
    text: message.text,
    ...(message.reply_markup === undefined ? {} : { reply_markup: message.reply_markup }),
  });
  const sentMessage = (params: Record<string, unknown>) => {
    const chatId = stringParam(params, "chat_id");
    const id = Number(stringParam(params, "message_id"));
    const message = chats.get(chatId)?.find((m) => m.message_id === id);
    if (!message) throw badRequest("message to edit not found");
    return message;
  };
  const notModified = () =>
    badRequest(
      "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );

  const methods: Record<string, (params: Record<string, unknown>) => unknown> = {
    getMe: () => ({
      id: botId,
      is_bot: true,
      first_name: "TextOps",
      username: "fake_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    sendMessage: (params) => {
      const chatId = stringParam(params, "chat_id");
      const message: FakeTelegramMessage = {
        message_id: nextMessageId++,
        chatId,
        text: checkedText(params),
      };
      const markup = keyboardOf(params.reply_markup);
      if (markup !== undefined) message.reply_markup = markup;
      chatOf(chatId).push(message);
      return asMessage(message);
    },
    editMessageText: (params) => {
      const message = sentMessage(params);
      const text = checkedText(params);
      const markup = keyboardOf(params.reply_markup);
      if (text === message.text && isDeepStrictEqual(markup, message.reply_markup)) {
        throw notModified();
      }
      message.text = text;
      if (markup === undefined) delete message.reply_markup;
      else message.reply_markup = markup;
      return asMessage(message);
    },
    editMessageReplyMarkup: (params) => {
      const message = sentMessage(params);
      const markup = keyboardOf(params.reply_markup);
      if (isDeepStrictEqual(markup, message.reply_markup)) throw notModified();
      if (markup === undefined) delete message.reply_markup;
      else message.reply_markup = markup;
      return asMessage(message);
    },
    answerCallbackQuery: (params) => {
      stringParam(params, "callback_query_id");
      if (typeof params.text === "string" && params.text.length > 200) {
        throw badRequest("MESSAGE_TOO_LONG");
      }
      return true;
    },
    setWebhook: (params) => {
      checkedWebhookUrl(params.url);
      const secret = params.secret_token;
      if (
        secret !== undefined &&
        (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
      ) {
        throw badRequest("secret token contains unallowed characters");
      }
      webhook = params;
      return true;
    },
    deleteWebhook: () => {
      webhook = undefined;
      return true;
    },
  };

  function outcomeOf(method: string, params: Record<string, unknown>): Outcome {
    const failure = failures.shift();
    if (failure) return failure;
    const run = methods[method];
    if (!run) return { status: 404, description: "Not Found" };
    try {
      return { result: run(params) };
    } catch (error) {
      if (error instanceof Refusal) return error.failure;
      throw error;
    }
  }

  function answer(res: Response, outcome: Outcome) {
    if ("result" in outcome) {
      res.json({ ok: true, result: outcome.result });
      return;
    }
    const parameters =
      outcome.retryAfterSeconds === undefined
        ? {}
        : { parameters: { retry_after: outcome.retryAfterSeconds } };
    res.status(outcome.status).json({
      ok: false,
      error_code: outcome.status,
      description: outcome.description ?? (outcome.status === 429 ? "Too Many Requests" : "Error"),
      ...parameters,
    });
  }

  const app = express();
  app.use(express.json({ limit: "10mb" }), express.urlencoded({ extended: false }));
  app.post(/^\/bot([^/]+)\/([A-Za-z]+)$/, (req: Request, res: Response) => {
    const [token, method] = [req.params[0], req.params[1]];
    if (token !== options.token || method === undefined) {
      res.status(404).json({ ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const params = parsedParams(req.body);
    recorded.push({ method, params });
    options.onCall?.({ method, params });
    answer(res, outcomeOf(method, params));
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error_code: 404, description: "Not Found" });
  });

  const server = app.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve).once("error", reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls: (method) => recorded.filter((call) => method === undefined || call.method === method),
    messages: (chatId) => (chats.get(String(chatId)) ?? []).map((message) => ({ ...message })),
    failNext: (n, failure) => {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    webhook: () => webhook,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
