/** Every exchange, queue and binding TextOps uses, defined once. */

import { DEFAULT_POOL } from "./jobs/job-definition.js";

export const EXCHANGES = {
  inbound: "textops.inbound",
  execution: "textops.execution",
  dispatch: "textops.dispatch",
  outbound: "textops.outbound",
  control: "textops.control",
  deadLetter: "textops.dead-letter",
  unroutable: "textops.unroutable",
  delay: "textops.delay",
} as const;

/**
 * Delayed delivery, for retries: one queue per delay, each holding messages
 * for its TTL (queue-wide, so no message waits behind a longer one) and then
 * dead-lettering them through the default exchange, which hands a message to
 * the queue named by its routing key. A message is published to the headers
 * exchange textops.delay with the target queue as routing key and the delay
 * queue chosen by the DELAY_HEADER.
 */
export const DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000] as const;
export const delayQueue = (delayMs: number) => `textops.delay.${delayMs}`;
// No "x-" prefix: a headers exchange ignores such headers when matching.
export const DELAY_HEADER = "textops-delay";
/** Which delivery attempt a re-published message is on (1 the first time). */
export const ATTEMPT_HEADER = "x-textops-attempt";

/**
 * The delay queue for a wanted delay: the shortest one not under it (the
 * longest otherwise). The message's own expiration then makes the delay exact.
 */
export function delayQueueFor(wantedMs: number): number {
  const longest = DELAYS_MS[DELAYS_MS.length - 1] ?? wantedMs;
  return DELAYS_MS.find((d) => d >= wantedMs) ?? longest;
}

/** Channels whose outbound messages have a queue of their own. */
export const OUTBOUND_CHANNELS = ["dev", "sms", "telegram", "slack"] as const;
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];

/**
 * Channels that can edit a message they sent (a Telegram message, a Slack
 * message). The orchestrator sends edits of approval requests only to these:
 * on the others an edit would travel to ingress to be dropped there.
 */
export const EDITING_CHANNELS: readonly OutboundChannel[] = ["telegram", "slack"];

export const canEditSentMessages = (channelId: string): boolean =>
  (EDITING_CHANNELS as readonly string[]).includes(channelId);

export const QUEUES = {
  orchestratorInput: "orchestrator.input",
  /** The default pool's dispatch queue. */
  workerDispatch: "worker.dispatch",
  /** Each pool's dispatch queue: worker.dispatch for the default pool, worker.dispatch.<pool> for others. */
  dispatch: (pool: string) =>
    pool === DEFAULT_POOL ? "worker.dispatch" : `worker.dispatch.${pool}`,
  unroutable: "textops.unroutable",
  outbound: (channel: string) => `outbound.${channel}`,
  deadLetter: (queue: string) => `${queue}.dead`,
} as const;

/** A message handed back and forth more often than this is dead-lettered by the broker. */
export const DELIVERY_LIMIT = 10;

export interface ExchangeSpec {
  name: string;
  type: "topic" | "direct" | "fanout" | "headers";
  alternateExchange?: string;
}

export interface BindingSpec {
  exchange: string;
  pattern: string;
  /** Match arguments, for a headers exchange. */
  arguments?: Record<string, string>;
}

export interface QueueSpec {
  name: string;
  arguments: Record<string, string | number | boolean>;
  bindings: BindingSpec[];
}

export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  /** Bindings earlier versions made, removed wherever the topology is declared. */
  obsoleteBindings?: (BindingSpec & { queue: string })[];
}

function workQueue(name: string, bindings: BindingSpec[], extra: QueueSpec["arguments"] = {}) {
  return {
    name,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": DELIVERY_LIMIT,
      "x-dead-letter-exchange": EXCHANGES.deadLetter,
      "x-dead-letter-routing-key": name,
      // Without these, quorum queues dead-letter at most once.
      "x-dead-letter-strategy": "at-least-once",
      "x-overflow": "reject-publish",
      ...extra,
    },
    bindings,
  } satisfies QueueSpec;
}

function deadLetterQueue(source: string): QueueSpec {
  return {
    name: QUEUES.deadLetter(source),
    arguments: { "x-queue-type": "quorum" },
    bindings: [{ exchange: EXCHANGES.deadLetter, pattern: source }],
  };
}

function topic(name: string): ExchangeSpec {
  return { name, type: "topic", alternateExchange: EXCHANGES.unroutable };
}

const workQueues: QueueSpec[] = [
  workQueue(
    QUEUES.orchestratorInput,
    [
      { exchange: EXCHANGES.inbound, pattern: "#" },
      { exchange: EXCHANGES.execution, pattern: "#" },
    ],
    { "x-single-active-consumer": true },
  ),
  ...poolQueues(DEFAULT_POOL),
  ...OUTBOUND_CHANNELS.map((channel) =>
    workQueue(QUEUES.outbound(channel), [
      { exchange: EXCHANGES.outbound, pattern: `outbound.${channel}` },
    ]),
  ),
];

/** A dispatch for a job of `pool` is routed by this key. */
export function dispatchRoutingKey(pool: string): string {
  return `dispatch.${pool}`;
}

/**
 * A pool's dispatch queue and its dead-letter queue. The orchestrator
 * declares those of every pool its catalog names, and each worker those it
 * serves, so a dispatch for a pool nobody serves yet waits in its queue.
 */
export function poolQueues(pool: string): QueueSpec[] {
  const queue = workQueue(QUEUES.dispatch(pool), [
    { exchange: EXCHANGES.dispatch, pattern: dispatchRoutingKey(pool) },
  ]);
  return pool === DEFAULT_POOL ? [queue] : [queue, deadLetterQueue(queue.name)];
}

/** The queues of `pools` beyond TOPOLOGY, which holds the default pool's. */
export function poolTopology(pools: readonly string[]): Topology {
  const others = [...new Set(pools)].filter((pool) => pool !== DEFAULT_POOL);
  return { exchanges: [], queues: others.flatMap(poolQueues) };
}

export const TOPOLOGY: Topology = {
  // Before pools, worker.dispatch took every dispatch; left in place it would
  // also take the dispatches of every other pool.
  obsoleteBindings: [{ queue: QUEUES.workerDispatch, exchange: EXCHANGES.dispatch, pattern: "#" }],
  exchanges: [
    { name: EXCHANGES.unroutable, type: "fanout" },
    // Dead letters whose queue has no dead-letter queue (a worker's control queue) land in unroutable.
    { name: EXCHANGES.deadLetter, type: "direct", alternateExchange: EXCHANGES.unroutable },
    topic(EXCHANGES.inbound),
    topic(EXCHANGES.execution),
    topic(EXCHANGES.dispatch),
    topic(EXCHANGES.outbound),
    { name: EXCHANGES.control, type: "fanout" },
    { name: EXCHANGES.delay, type: "headers", alternateExchange: EXCHANGES.unroutable },
  ],
  queues: [
    ...workQueues,
    ...workQueues.map((q) => deadLetterQueue(q.name)),
    ...DELAYS_MS.map((delayMs) => ({
      name: delayQueue(delayMs),
      arguments: {
        // Quorum, dead-lettering at least once: a classic queue drops a
        // message that expires while the broker restarts, and the run waits
        // in Dispatching for a dispatch that never comes.
        "x-queue-type": "quorum",
        "x-message-ttl": delayMs,
        "x-dead-letter-exchange": "",
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
      },
      bindings: [
        {
          exchange: EXCHANGES.delay,
          pattern: "",
          arguments: { "x-match": "all", [DELAY_HEADER]: String(delayMs) },
        },
      ],
    })),
    {
      name: QUEUES.unroutable,
      arguments: { "x-queue-type": "quorum" },
      bindings: [{ exchange: EXCHANGES.unroutable, pattern: "" }],
    },
  ],
};
