import { NOTICE_EVENT_TYPES } from "@textops/contracts";
import { vi } from "vitest";

export interface DevReply {
  intentType: string;
  jobKey: string | null;
  runId: string | null;
  dispatchedExecution: boolean;
  outbound: {
    body: string;
    correlationId: string;
    idempotencyKey: string;
    channelId: string;
    conversation: string;
  }[];
}

export interface RunView {
  run: {
    runId: string;
    jobKey: string;
    status: string;
    requestedByAddress: string;
    /** Closed mode only: the person who asked, and who may approve. */
    requestedBy?: string;
    approvers?: string[];
  };
  events: { runId: string; type: string; at: string; actor: string; payload: unknown }[];
}

type RunEventView = RunView["events"][number];

/** What the channels reported of the run's notices: delivered, edited, not delivered. */
export const isNoticeEvent = (event: RunEventView) =>
  (NOTICE_EVENT_TYPES as readonly string[]).includes(event.type);

/**
 * The run's own events, without the channels' reports on its notices: those
 * arrive when each channel has delivered, so they interleave in any order.
 */
export const stateEvents = (view: RunView) => view.events.filter((e) => !isNoticeEvent(e));

export interface DevClientOptions {
  /**
   * Sent as `Authorization: Bearer <apiToken>` on every read (runs, logs,
   * conversations): in closed mode, the token of an admin, who may read all.
   */
  apiToken?: string;
}

/** Talks to ingress the way the README's curl commands do. */
export function devClient(baseUrl: string, options: DevClientOptions = {}) {
  const { apiToken } = options;
  const readHeaders: Record<string, string> =
    apiToken === undefined ? {} : { authorization: `Bearer ${apiToken}` };
  const read = (path: string) => fetch(`${baseUrl}${path}`, { headers: readHeaders });

  async function send(body: string, options: { from?: string; providerMessageId?: string } = {}) {
    const from = options.from ?? "user1";
    const response = await fetch(`${baseUrl}/dev/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        from,
        conversation: from,
        body,
        ...(options.providerMessageId ? { providerMessageId: options.providerMessageId } : {}),
      }),
    });
    if (response.status !== 200) throw new Error(`POST /dev/inbound: ${response.status}`);
    return (await response.json()) as DevReply;
  }

  async function run(runId: string): Promise<RunView> {
    const response = await read(`/runs/${runId}`);
    if (response.status !== 200) throw new Error(`GET /runs/${runId}: ${response.status}`);
    return (await response.json()) as RunView;
  }

  async function messages(conversation: string): Promise<string[]> {
    const response = await read(`/dev/conversations/${encodeURIComponent(conversation)}/messages`);
    if (response.status !== 200) {
      throw new Error(`GET /dev/conversations/${conversation}/messages: ${response.status}`);
    }
    const body = (await response.json()) as { messages: { body: string }[] };
    return body.messages.map((m) => m.body);
  }

  return {
    send,
    run,
    messages,
    /** Waits until the conversation holds a message that `found` accepts; returns them all. */
    untilMessage: (conversation: string, found: (message: string) => boolean, timeout = 15_000) =>
      vi.waitFor(
        async () => {
          const all = await messages(conversation);
          if (!all.some(found)) throw new Error(`${conversation} has no such message yet`);
          return all;
        },
        { timeout, interval: 100 },
      ),
    /** Waits until the run reaches one of the given statuses. */
    untilStatus: (runId: string, ...statuses: string[]) =>
      vi.waitFor(
        async () => {
          const view = await run(runId);
          if (!statuses.includes(view.run.status)) throw new Error(`run is ${view.run.status}`);
          return view;
        },
        { timeout: 30_000, interval: 100 },
      ),
  };
}
