import type { OrchestratorReply } from "@textops/contracts";

interface Waiter {
  messageId: string;
  resolve: (reply: OrchestratorReply) => void;
}

export interface PendingReply {
  /** Resolves with the reply; never rejects. */
  reply: Promise<OrchestratorReply>;
  /** Stops waiting: a reply arriving later finds no one. */
  cancel(): void;
}

/**
 * Requests waiting for the orchestrator's reply, by correlation id. Callers
 * choose correlation ids, so two requests may share one: the reply then goes
 * to the request whose message it answers (its inboundMessageId), else to the
 * one that has waited longest.
 */
export class PendingReplies {
  readonly #waiting = new Map<string, Waiter[]>();

  /** Register before publishing: a reply can arrive before the broker's confirm. */
  register(correlationId: string, messageId: string): PendingReply {
    let waiter: Waiter | undefined;
    const reply = new Promise<OrchestratorReply>((resolve) => {
      waiter = { messageId, resolve };
    });
    if (!waiter) throw new Error("unreachable: a promise executor runs at once");
    const registered = waiter;
    this.#waiting.set(correlationId, [...(this.#waiting.get(correlationId) ?? []), registered]);
    return { reply, cancel: () => this.#remove(correlationId, registered) };
  }

  /** Hands a reply to the request waiting for it; false when no one waits (any more). */
  deliver(correlationId: string, reply: OrchestratorReply): boolean {
    const waiters = this.#waiting.get(correlationId) ?? [];
    const waiter = waiters.find((w) => w.messageId === reply.inboundMessageId) ?? waiters[0];
    if (!waiter) return false;
    this.#remove(correlationId, waiter);
    waiter.resolve(reply);
    return true;
  }

  get size(): number {
    let n = 0;
    for (const waiters of this.#waiting.values()) n += waiters.length;
    return n;
  }

  #remove(correlationId: string, waiter: Waiter) {
    const rest = (this.#waiting.get(correlationId) ?? []).filter((w) => w !== waiter);
    if (rest.length > 0) this.#waiting.set(correlationId, rest);
    else this.#waiting.delete(correlationId);
  }
}
