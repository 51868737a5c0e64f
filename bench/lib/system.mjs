// A running TextOps (orchestrator, ingress, workers) for the scenarios that need
// the whole path, and helpers to follow runs through it.
import { createServer } from "node:net";
import { waitForOrchestrator, within } from "./rabbit.mjs";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts an orchestrator (and ingress when asked) on database `db`.
 * @param {any} ctx
 */
export async function startCore(ctx, db, { ingress = false } = {}) {
  const orchestrator = ctx.services.orchestrator(db);
  const started = { orchestrator, ingress: null, baseUrl: null };
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

/** POST /dev/inbound; resolves with the JSON answer of a 200, rejects otherwise. */
export async function postInbound(baseUrl, body, conversation) {
  const response = await fetch(`${baseUrl}/dev/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: conversation, conversation, body }),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = await response.json();
  if (response.status !== 200)
    throw new Error(`POST /dev/inbound "${body}": ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * Follows worker callbacks of given runs on the bench's tap.
 * `started(runId)` / `completed(runId)` resolve with { payload, receivedAt }.
 * @param {any} bus
 */
export function followRuns(bus) {
  /** @type {Map<string, { resolve: (v: any) => void, promise: Promise<any> }>} */
  const expected = new Map();
  const slot = (key) => {
    let entry = expected.get(key);
    if (!entry) {
      let resolve = () => {};
      const promise = new Promise((r) => (resolve = r));
      entry = { resolve, promise };
      expected.set(key, entry);
    }
    return entry;
  };
  const unsubscribe = bus.onExecution((type, payload, receivedAt) => {
    slot(`${type}:${payload.runId}`).resolve({ payload, receivedAt });
  });
  const wait = (type, runId, timeoutMs) => {
    const waiting = within(slot(`${type}:${runId}`).promise, timeoutMs, `${type} of run ${runId}`);
    waiting.catch(() => {}); // a caller that gave up on the others must not leave them unhandled
    return waiting;
  };
  return {
    started: (runId, timeoutMs = 60_000) => wait("ExecutionStarted", runId, timeoutMs),
    completed: (runId, timeoutMs = 60_000) => wait("ExecutionCompleted", runId, timeoutMs),
    stop: unsubscribe,
  };
}
