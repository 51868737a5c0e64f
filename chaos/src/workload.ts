import { delay } from "./wait.js";

export interface Sent {
  providerMessageId: string;
  body: string;
  status: number;
  runId: string | null;
}

export interface WorkloadOptions {
  baseUrl: string;
  conversations: number;
  runsPerConversation: number;
  /** Share of inbound messages sent twice with the same providerMessageId. */
  duplicateShare: number;
  seed: number;
}

export interface WorkloadResult {
  sent: Sent[];
  duplicates: number;
  unavailable: number;
}

/** Jobs the catalog does not have, or with parameters it refuses: answered, never a run. */
export const REFUSED_RUNS = ["run no-such-job", "run sleep seconds=soon"];

const JOBS = [
  "demo",
  "echo note=prod",
  "sleep seconds=0.3",
  "sleep seconds=2",
  "fail",
  "flaky failures=1",
  ...REFUSED_RUNS.map((text) => text.slice("run ".length)),
];

/** A small deterministic random source, so a failing run can be replayed with its seed. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/**
 * Conversations in parallel, each asking for runs and approving, denying or
 * querying them, with repeats of the same providerMessageId (some at once)
 * and approvals sent twice. A 503 is retried with the same providerMessageId,
 * as a channel provider would.
 */
export function startWorkload(options: WorkloadOptions): {
  /** Filled in as answers come, for whoever waits for the traffic to be going. */
  progress: WorkloadResult;
  done: Promise<WorkloadResult>;
} {
  const result: WorkloadResult = { sent: [], duplicates: 0, unavailable: 0 };
  const next = random(options.seed);
  const conversations = Array.from({ length: options.conversations }, (_, i) =>
    conversation(options, result, `u${i}`, random(Math.floor(next() * 2 ** 31))),
  );
  return { progress: result, done: Promise.all(conversations).then(() => result) };
}

async function conversation(
  options: WorkloadOptions,
  result: WorkloadResult,
  user: string,
  next: () => number,
) {
  const send = async (body: string, id: string) => {
    const twice = next() < options.duplicateShare;
    if (!twice) return post(options.baseUrl, user, body, id, result);
    result.duplicates += 1;
    if (next() < 0.5) {
      const [a, b] = await Promise.all([
        post(options.baseUrl, user, body, id, result),
        post(options.baseUrl, user, body, id, result),
      ]);
      return a.runId ? a : b;
    }
    const first = await post(options.baseUrl, user, body, id, result);
    await post(options.baseUrl, user, body, id, result);
    return first;
  };
  for (let r = 0; r < options.runsPerConversation; r += 1) {
    const job = JOBS[Math.floor(next() * JOBS.length)] ?? "demo";
    const created = await send(`run ${job}`, `${user}-${r}-run`);
    const runId = created.runId;
    if (!runId) continue;
    const choice = next();
    if (choice < 0.75) {
      await send(`yes ${runId}`, `${user}-${r}-yes`);
      await send(`approve ${runId}`, `${user}-${r}-yes-again`);
    } else if (choice < 0.9) {
      await send(`no ${runId}`, `${user}-${r}-no`);
    }
    if (next() < 0.3) await send(`status ${runId}`, `${user}-${r}-status`);
  }
}

async function post(
  baseUrl: string,
  user: string,
  body: string,
  providerMessageId: string,
  result: WorkloadResult,
): Promise<Sent> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const answer = await postOnce(baseUrl, user, body, providerMessageId);
    if (answer.status === 200 || answer.status === 202) {
      result.sent.push(answer);
      return answer;
    }
    result.unavailable += 1;
    await delay(250);
  }
  const gaveUp = { providerMessageId, body, status: 503, runId: null };
  result.sent.push(gaveUp);
  return gaveUp;
}

async function postOnce(baseUrl: string, user: string, body: string, providerMessageId: string) {
  try {
    const response = await fetch(`${baseUrl}/dev/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: user, conversation: user, body, providerMessageId }),
      signal: AbortSignal.timeout(15_000),
    });
    const json = (await response.json()) as { runId?: string | null };
    return { providerMessageId, body, status: response.status, runId: json.runId ?? null };
  } catch {
    return { providerMessageId, body, status: 0, runId: null };
  }
}
