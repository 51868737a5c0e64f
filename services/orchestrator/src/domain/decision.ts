import type {
  Actor,
  ExecutionCancelRequested,
  OutboundMessage,
  RunEvent,
  RunStatus,
  UnsignedDispatch,
} from "@textops/contracts";
import type { Run } from "./stored-run.js";

type EventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** The part of a run a decision changes; events are only ever appended. */
export interface RunChange {
  status: RunStatus;
  attempt: number;
  lastHeartbeatAt: string | null;
  approvedAt: string | null;
  waitingForSlot: boolean;
  events: RunEvent[];
}

/** What one input does to one run: the change (if any) and the messages it sends. */
export interface Decision {
  change: RunChange | null;
  outbound: OutboundMessage[];
  dispatch: UnsignedDispatch | null;
  /** Hold the dispatch back this long (a retry after a retryable failure). */
  dispatchDelayMs?: number;
  cancel: ExecutionCancelRequested | null;
}

export const nothing = (outbound: OutboundMessage[] = []): Decision => ({
  change: null,
  outbound,
  dispatch: null,
  cancel: null,
});

/** Builds a change on top of a run, numbering new events after the run's last one. */
export class ChangeBuilder {
  private readonly change: RunChange;

  constructor(
    private readonly run: Run,
    private readonly at: string,
  ) {
    this.change = {
      status: run.status,
      attempt: run.attempt,
      lastHeartbeatAt: run.lastHeartbeatAt,
      approvedAt: run.approvedAt,
      waitingForSlot: run.waitingForSlot,
      events: [],
    };
  }

  event<T extends RunEvent["type"]>(type: T, actor: Actor, payload: EventOf<T>["payload"]): this {
    const seq = this.run.events.length + this.change.events.length + 1;
    // TypeScript cannot narrow a generic discriminant; the parameters tie type to payload.
    const event = { runId: this.run.runId, seq, type, at: this.at, actor, payload } as RunEvent;
    this.change.events.push(event);
    return this;
  }

  set(fields: Partial<Omit<RunChange, "events">>): this {
    Object.assign(this.change, fields);
    return this;
  }

  decide(outbound: OutboundMessage[] = [], extra: Partial<Decision> = {}): Decision {
    return { change: this.change, outbound, dispatch: null, cancel: null, ...extra };
  }
}
