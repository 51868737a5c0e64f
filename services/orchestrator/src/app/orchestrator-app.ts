import type { Handlers } from "@textops/messaging";
import type { Logger } from "pino";
import { createCallbackHandlers } from "./callback.handler.js";
import { createCommit } from "./commit.js";
import { createDeliveryReportHandler } from "./delivery-report.handler.js";
import { createInboundHandler } from "./inbound.handler.js";
import { KeyedLock } from "./keyed-lock.js";
import type { PeopleDirectory } from "./people-directory.js";
import { UnknownSenders } from "./unknown-senders.js";
import type { JobCatalog } from "../domain/catalog/index.js";
import type {
  Clock,
  DispatchSigner,
  InboxStore,
  JobSlots,
  Publisher,
  RunIdGenerator,
  RunOutputReader,
  RunStore,
} from "./ports.js";
import { startSweeping, sweepOnce } from "./sweeper.js";

/** Everything the app layer is built from: its ports and its settings. */
export interface AppResources {
  runs: RunStore;
  inbox: InboxStore;
  slots: JobSlots;
  publisher: Publisher;
  signDispatch: DispatchSigner;
  /** The jobs runs may be asked for, as loaded at start-up. */
  catalog: JobCatalog;
  output: RunOutputReader;
  clock: Clock;
  newRunId: RunIdGenerator;
  log: Logger;
  approvalTtlSeconds: number;
  /** Outbox entries are looked at by the sweeper once they are this old. */
  outboxAgeMs: number;
  /** A dispatch no worker has taken this long is told about, once per attempt. */
  dispatchWaitMs: number;
  /** The directory of people; absent, open mode. */
  directory?: PeopleDirectory;
}

export type InputType =
  | "InboundMessage"
  | "ExecutionStarted"
  | "ExecutionHeartbeat"
  | "ExecutionCompleted"
  | "DeliveryReport";

/**
 * The orchestrator's app layer on its ports: a handler per message type of
 * orchestrator.input, and the sweep. The commit unit and the per-run lock
 * are made here, once, and shared by all of them.
 */
export function createOrchestratorApp(resources: AppResources) {
  const commit = createCommit(resources);
  const people = resources.directory
    ? { people: resources.directory.context, unknownSenders: new UnknownSenders() }
    : {};
  const deps = { ...resources, ...people, commit, lock: new KeyedLock() };
  const handlers: Handlers<InputType> = {
    InboundMessage: createInboundHandler(deps),
    ...createCallbackHandlers(deps),
    DeliveryReport: createDeliveryReportHandler(deps),
  };
  return {
    handlers,
    /** One sweep pass now (tests and start-up use it). */
    sweep: () => sweepOnce(deps),
    startSweeping: (intervalMs: number) => startSweeping(deps, intervalMs, resources.log),
  };
}
