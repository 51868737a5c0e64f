// A running TextOps (orchestrator, ingress, workers) for the scenarios that need
// the whole path, and helpers to follow runs through it.
import { createServer } from "node:net";
import { z } from "zod";
import { waitForOrchestrator, type Bus, type ExecutionEvent } from "./bus.js";
import type { BenchContext } from "./context.js";
import type { ServiceProcess } from "./services.js";
import { within } from "./within.js";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface Core {
  orchestrator: ServiceProcess;
  ingress: ServiceProcess | null;
  baseUrl: string | null;
}

/** Starts an orchestrator (and ingress when asked) on database `db`. */
export async function startCore(
  ctx: BenchContext,
  db: string,
  { ingress = false } = {},
): Promise<Core> {
  const orchestrator = ctx.services.orchestrator(db);
  const started: Core = { orchestrator, ingress: null, baseUrl: null };
  try {
    await waitForOrchestrator(ctx.bus);
    if (ingress) {
      const port = await freePort();
      started.ingress = await ctx.services.ingress(db, port);
      started.baseUrl = `http://127.0.0.1:${port}`;
    }
    return started;
  } catch (error) {
    await orchestrator.stop();
    throw error;
  }
}

/** The part of ingress's answer to POST /dev/inbound that the bench reads. */
export const DevInboundAnswer = z.object({
  runId: z.string().nullable(),
  dispatchedExecution: z.boolean(),
});
export type DevInboundAnswer = z.infer<typeof DevInboundAnswer>;

/** POST /dev/inbound; resolves with the JSON answer of a 200, rejects otherwise. */
export async function postInbound(
  baseUrl: string,
  body: string,
  conversation: string,
): Promise<DevInboundAnswer> {
  const response = await fetch(`${baseUrl}/dev/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: conversation, conversation, body }),
    signal: AbortSignal.timeout(30_000),
  });
  const answer: unknown = await response.json();
  if (response.status !== 200)
    throw new Error(`POST /dev/inbound "${body}": ${response.status} ${JSON.stringify(answer)}`);
  return DevInboundAnswer.parse(answer);
}

type Seen<T extends ExecutionEvent["type"]> = Extract<ExecutionEvent, { type: T }>;

/**
 * Follows worker callbacks of given runs on the bench's tap.
 * `started(runId)` / `completed(runId)` resolve with the callback and when it came.
 */
export function followRuns(bus: Bus) {
  const expected = new Map<
    string,
    { resolve(e: ExecutionEvent): void; promise: Promise<unknown> }
  >();
  const slot = (key: string) => {
    let entry = expected.get(key);
    if (!entry) {
      let resolve: (e: ExecutionEvent) => void = () => {};
      const promise = new Promise<ExecutionEvent>((r) => (resolve = r));
      entry = { resolve, promise };
      expected.set(key, entry);
    }
    return entry;
  };
  const unsubscribe = bus.onExecution((event) => {
    slot(`${event.type}:${event.payload.runId}`).resolve(event);
  });
  const wait = <T extends ExecutionEvent["type"]>(type: T, runId: string, timeoutMs: number) => {
    const seen = slot(`${type}:${runId}`).promise as Promise<Seen<T>>;
    const waiting = within(seen, timeoutMs, `${type} of run ${runId}`);
    waiting.catch(() => {}); // a caller that gave up on the others must not leave them unhandled
    return waiting;
  };
  return {
    started: (runId: string, timeoutMs = 60_000) => wait("ExecutionStarted", runId, timeoutMs),
    completed: (runId: string, timeoutMs = 60_000) => wait("ExecutionCompleted", runId, timeoutMs),
    stop: unsubscribe,
  };
}
