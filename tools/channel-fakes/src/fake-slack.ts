import type { AddressInfo } from "node:net";
import express, { type Request, type Response } from "express";
import { blocksProblem } from "./fake-slack-blocks.js";
import { parsedParams } from "./form-params.js";

/** A Web API call the fake took with the right token; `blocks` and other JSON values parsed. */
export interface FakeSlackCall {
  method: string;
  params: Record<string, unknown>;
}

/** A message the app posted, as it stands now (updates applied). */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string;
  /** Absent when the message has none. */
  blocks?: unknown[];
}

/**
 * How the fake answers instead: a 429 with Retry-After (retryAfterSeconds,
 * 1 unless given), another HTTP status, or 200 with `{ ok: false, error }`.
 */
export interface FakeSlackFailure {
  status?: number;
  error?: string;
  retryAfterSeconds?: number;
}

export interface FakeSlack {
  /** What to give the WebClient as `slackApiUrl` (SLACK_API_URL): "http://127.0.0.1:PORT/api/". */
  apiUrl: string;
  /** The app's bot user, as auth.test names it: mentions of the app are `<@botUserId>`. */
  botUserId: string;
  /** The calls taken with the right token, in order; only those of `method` when given. */
  calls(method?: string): FakeSlackCall[];
  /** A channel's messages from the app, oldest first; a user id (U…) reads the app's DM with them. */
  messages(channel: string): FakeSlackMessage[];
  /** The next `n` calls, whatever their method, are answered with `failure`. */
  failNext(n: number, failure: FakeSlackFailure): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  /** The bot token ("xoxb-…") the calls must carry as `Authorization: Bearer`. */
  token: string;
  botUserId?: string;
  teamId?: string;
  /** 0 (any free port) unless given. */
  port?: number;
  /** 127.0.0.1 unless given (0.0.0.0 in a container). */
  host?: string;
  /** Told of each call taken with the right token (the CLI prints them). */
  onCall?: (call: FakeSlackCall) => void;
}

/** The app's DM with a user, as Slack names it: D and the rest of the user id. */
export const directChannelOf = (user: string) => `D${user.slice(1)}`;

const isUser = (id: string) => /^[UW][A-Z0-9]+$/.test(id);
const TEXT_LIMIT = 40_000;

class Refusal extends Error {}

function stringParam(params: Record<string, unknown>, name: string, error: string): string {
  const value = params[name];
  if (typeof value === "string" && value !== "") return value;
  throw new Refusal(error);
}

/** The message's text and blocks as given; Slack wants one of them. */
function contentOf(params: Record<string, unknown>): { text: string; blocks?: unknown[] } {
  const text = typeof params.text === "string" ? params.text : "";
  if (text.length > TEXT_LIMIT) throw new Refusal("msg_too_long");
  if (params.blocks === undefined) {
    if (text.trim() === "") throw new Refusal("no_text");
    return { text };
  }
  if (blocksProblem(params.blocks) !== undefined) throw new Refusal("invalid_blocks");
  return { text, blocks: params.blocks as unknown[] };
}

/**
 * A local stand-in for Slack's Web API: POST /api/<method> with a form or
 * JSON body and the bot token as a bearer token, the methods TextOps calls
 * and Slack's answers, failures included.
 */
export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const botUserId = options.botUserId ?? "U0TEXTOPS";
  const teamId = options.teamId ?? "T0FAKE001";
  const recorded: FakeSlackCall[] = [];
  const channels = new Map<string, FakeSlackMessage[]>();
  const failures: FakeSlackFailure[] = [];
  const startedAt = Math.floor(Date.now() / 1000);
  let sequence = 0;

  const channelOf = (id: string) => (isUser(id) ? directChannelOf(id) : id);
  const messagesOf = (channel: string) => {
    let messages = channels.get(channel);
    if (!messages) channels.set(channel, (messages = []));
    return messages;
  };
  const asMessage = (message: FakeSlackMessage) => ({
    type: "message",
    user: botUserId,
    bot_id: "B0TEXTOPS",
    team: teamId,
    ts: message.ts,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
  });

  const methods: Record<string, (params: Record<string, unknown>) => Record<string, unknown>> = {
    "auth.test": () => ({
      url: "https://textops-fake.slack.com/",
      team: "TextOps fake",
      user: "textops",
      team_id: teamId,
      user_id: botUserId,
      bot_id: "B0TEXTOPS",
      is_enterprise_install: false,
    }),
    "chat.postMessage": (params) => {
      const to = stringParam(params, "channel", "channel_not_found");
      if (!/^[CDGUW][A-Z0-9]+$/.test(to)) throw new Refusal("channel_not_found");
      sequence += 1;
      const ts = `${startedAt}.${String(sequence).padStart(6, "0")}`;
      const message: FakeSlackMessage = { channel: channelOf(to), ts, ...contentOf(params) };
      messagesOf(message.channel).push(message);
      return { channel: message.channel, ts, message: asMessage(message) };
    },
    "chat.update": (params) => {
      const channel = channelOf(stringParam(params, "channel", "channel_not_found"));
      const ts = stringParam(params, "ts", "message_not_found");
      const message = channels.get(channel)?.find((m) => m.ts === ts);
      if (!message) throw new Refusal("message_not_found");
      const content = contentOf(params);
      message.text = content.text;
      // As Slack: blocks left out keep the old ones; an empty list removes them.
      if (content.blocks?.length === 0) delete message.blocks;
      else if (content.blocks) message.blocks = content.blocks;
      return { channel, ts, text: message.text, message: asMessage(message) };
    },
    "chat.postEphemeral": (params) => {
      stringParam(params, "channel", "channel_not_found");
      stringParam(params, "user", "user_not_in_channel");
      contentOf(params);
      sequence += 1;
      return { message_ts: `${startedAt}.${String(sequence).padStart(6, "0")}` };
    },
    "views.open": (params) => {
      stringParam(params, "trigger_id", "invalid_trigger_id");
      if (typeof params.view !== "object" || params.view === null)
        throw new Refusal("invalid_arguments");
      return { view: { id: `V0FAKE${String(recorded.length).padStart(3, "0")}`, ...params.view } };
    },
  };

  function answer(res: Response, method: string, params: Record<string, unknown>) {
    const failure = failures.shift();
    if (failure?.status === 429) {
      res.status(429).set("Retry-After", String(failure.retryAfterSeconds ?? 1));
      res.json({ ok: false, error: "ratelimited" });
      return;
    }
    if (failure?.status !== undefined && failure.status !== 200) {
      res.status(failure.status).type("text/plain").send("upstream trouble");
      return;
    }
    if (failure) {
      res.json({ ok: false, error: failure.error ?? "internal_error" });
      return;
    }
    const run = methods[method];
    if (!run) {
      res.json({ ok: false, error: "unknown_method" });
      return;
    }
    try {
      res.json({ ok: true, ...run(params) });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      res.json({ ok: false, error: error.message });
    }
  }

  const app = express();
  app.use(express.json({ limit: "10mb" }), express.urlencoded({ extended: false, limit: "10mb" }));
  app.post(/^\/api\/([A-Za-z.]+)$/, (req: Request, res: Response) => {
    const method = req.params[0] ?? "";
    const params = parsedParams(req.body);
    const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
    const token = bearer ?? (typeof params.token === "string" ? params.token : undefined);
    if (token !== options.token) {
      res.json({ ok: false, error: token === undefined ? "not_authed" : "invalid_auth" });
      return;
    }
    delete params.token;
    recorded.push({ method, params });
    options.onCall?.({ method, params });
    answer(res, method, params);
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error: "unknown_method" });
  });

  const server = app.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve).once("error", reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    botUserId,
    calls: (method) => recorded.filter((call) => method === undefined || call.method === method),
    messages: (channel) =>
      (channels.get(channelOf(channel)) ?? []).map((message) => structuredClone(message)),
    failNext: (n, failure) => {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
