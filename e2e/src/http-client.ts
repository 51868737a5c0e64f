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
  run: { runId: string; jobKey: string; status: string; requestedByAddress: string };
  events: { runId: string; type: string; at: string; actor: string; payload: unknown }[];
}

/** Talks to ingress the way the README's curl commands do. */
export function devClient(baseUrl: string) {
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
    const response = await fetch(`${baseUrl}/runs/${runId}`);
    if (response.status !== 200) throw new Error(`GET /runs/${runId}: ${response.status}`);
    return (await response.json()) as RunView;
  }

  return {
    send,
    run,
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
    async messages(conversation: string): Promise<string[]> {
      const response = await fetch(
        `${baseUrl}/dev/conversations/${encodeURIComponent(conversation)}/messages`,
      );
      const body = (await response.json()) as { messages: { body: string }[] };
      return body.messages.map((m) => m.body);
    },
  };
}
