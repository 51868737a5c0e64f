import type {
  ExecutionDispatch,
  RunEvent,
  RunOutputText,
  RunStatus,
  UnsignedDispatch,
} from "@textops/contracts";
import type { Publisher as MessagingPublisher } from "@textops/messaging";
import type { Answer } from "../domain/answers.js";
import type { LookPlan } from "../domain/look-plan.js";
import type { SlotClaim, SlotHolder, SlotOutcome } from "../domain/slot-holders.js";
import type { OutboxEntry, ProcessedMessage, Run } from "../domain/stored-run.js";

/**
 * What the orchestrator's app layer needs from the world, declared here by
 * its user; adapters/mongo and @textops/messaging implement it, and
 * testing/in-memory-ports.ts holds small in-memory versions for fast tests.
 */

/** Epoch milliseconds; a function so tests can hold time still. */
export type Clock = () => number;

/** Makes a fresh run id. */
export type RunIdGenerator = () => string;

/** The part of the messaging publisher the orchestrator uses: publishes with a confirm. */
export type Publisher = Pick<MessagingPublisher, "publish">;

/** Signs a dispatch as it is published (HMAC-SHA256 under DISPATCH_SECRET). */
export type DispatchSigner = (dispatch: UnsignedDispatch) => ExecutionDispatch;

/** A run's output, as the workers keep it per attempt beside the run. */
export interface RunOutputReader {
  /** The attempts that have output, in order. */
  attempts(runId: string): Promise<number[]>;
  /** The attempt's kept output, or null when it has none. */
  read(runId: string, attempt: number): Promise<RunOutputText | null>;
}

/** A state change for one run, written in one guarded update. */
export interface RunWrite {
  status: RunStatus;
  attempt: number;
  lastHeartbeatAt: string | null;
  approvedAt: string | null;
  waitingForSlot: boolean;
  updatedAt: string;
  events: RunEvent[];
  outbox: OutboxEntry[];
  processed: ProcessedMessage[];
}

/** A run the sweeper has to look at, and the last write announced for it. */
export interface WatchedRun {
  runId: string;
  intent: number;
  announcedAt: string;
}

/**
 * Runs, and beside them the watch list of the few runs the sweeper has to
 * look at (see adapters/mongo/watch-list.ts). `lookAt` is when the sweeper
 * must look at the run once the write is made: it is announced before the
 * write; null leaves the plan as it is.
 */
export interface RunStore {
  find: (runId: string) => Promise<Run | null>;
  /** "exists" when a run with that id is already stored; it is never overwritten. */
  insert: (run: Run, lookAt: string | null) => Promise<"inserted" | "exists">;
  /** Applies the write only if the run is still at `expectedVersion`. */
  apply: (
    runId: string,
    expectedVersion: number,
    write: RunWrite,
    lookAt: string | null,
  ) => Promise<boolean>;
  /** Removes published entries, exactly as they were stored. */
  removeOutbox: (runId: string, entries: OutboxEntry[]) => Promise<void>;
  /** Runs to look at by `now`, earliest first. */
  due: (now: string, limit: number) => Promise<WatchedRun[]>;
  /**
   * The next look at a run (null: none), planned by one who read the run at
   * `watched.intent` or later; ignored if a write was announced since.
   */
  settle: (watched: Pick<WatchedRun, "runId" | "intent">, lookAt: string | null) => Promise<void>;
  /** The run of the job waiting longest for a slot (by approval time, then run id), if any. */
  oldestWaitingForSlot: (jobKey: string) => Promise<string | null>;
  /**
   * The runs waiting for this person's decision (see `waitsForDecisionOf` in
   * domain/run-approval.ts), oldest first (by creation, then run id), at most `limit`.
   */
  waitingForDecisionOf: (personId: string, limit: number) => Promise<RunGlance[]>;
  /** The runs this person asked for, newest first (by creation, then run id), at most `limit`. */
  latestRequestedBy: (personId: string, limit: number) => Promise<RunGlance[]>;
}

/** What the people commands (`pending`, `runs`, a bare yes) show of a run. */
export type RunGlance = Pick<
  Run,
  "runId" | "jobKey" | "parameters" | "status" | "createdAt" | "requestedBy"
>;

/**
 * The slots of jobs with a concurrency limit: per job, the runs holding one.
 * The authority on how many run at once; each change is one compare-and-set
 * of the job's document, so the holders never outnumber the limit.
 */
export interface JobSlots {
  /** "held" when the run holds a slot now (it may have held it before); "full" when none is free. */
  acquire: (jobKey: string, claim: SlotClaim, limit: number) => Promise<SlotOutcome>;
  /**
   * Gives the run's slot back; nothing if it holds none. With `fencedAt`,
   * only a slot last asked for at that version of the run or before.
   * true: a slot was given back now.
   */
  release: (jobKey: string, runId: string, fencedAt?: number) => Promise<boolean>;
  holders: (jobKey: string) => Promise<SlotHolder[]>;
  /** The jobs that have had a slot taken, whether or not one is held now. */
  jobsWithSlots: () => Promise<string[]>;
}

export interface InboxKey {
  channelId: string;
  providerMessageId: string;
}

/** What the orchestrator remembers of a message it took in. */
export interface InboxEntry extends InboxKey {
  messageId: string;
  /** The clock value decisions about this message use, kept so a replay decides the same. */
  receivedAt: string;
  /**
   * "done" once a message answered without changing a run has its answer
   * stored. A message that changed a run stays "processing": the run's
   * `processed` list holds its effect and answer, so one write less per message.
   */
  state: "processing" | "done";
  runId: string | null;
  /** The answer to ingress (the stored field keeps its name). */
  reply: Answer | null;
  /** Notices of a message that changed no run wait here until published. */
  outbox: OutboxEntry[];
}

export type InboxResult = { kind: "recorded" } | { kind: "duplicate"; existing: InboxEntry };

/** An entry whose notices the sweeper has to look at, and the last announcement for it. */
export interface WatchedInbox {
  key: InboxKey;
  intent: number;
  announcedAt: string;
}

export interface InboxStore {
  /** Records a message once; the same (channelId, providerMessageId) again is a duplicate. */
  record: (entry: InboxEntry) => Promise<InboxResult>;
  setRunId: (key: InboxKey, runId: string) => Promise<void>;
  /**
   * Marks the message done, with its answer and the notices still to publish.
   * Notices are first announced to the sweeper (look at them by `plan.lookAt`);
   * the announcement is returned, to be settled once they are published.
   */
  complete: (
    key: InboxKey,
    answer: Answer | null,
    outbox: OutboxEntry[],
    plan?: LookPlan,
  ) => Promise<WatchedInbox | null | "already-done">;
  removeOutbox: (key: InboxKey, entries: OutboxEntry[]) => Promise<void>;
  /** The entry, and whether every write announced up to `watched` has been made. */
  find: (watched: WatchedInbox) => Promise<{ entry: InboxEntry; landed: boolean } | null>;
  /** Entries to look at by `now`, earliest first. */
  due: (now: string, limit: number) => Promise<WatchedInbox[]>;
  /** The next look (null: none), unless a write was announced after `watched`. */
  settle: (watched: WatchedInbox, lookAt: string | null) => Promise<void>;
}

/**
 * A link code as stored: never the code, only its salt and keyed hash (see
 * app/address-links.ts). One per person, under their id: a new one replaces it.
 */
export interface StoredLinkCode {
  personId: string;
  salt: string;
  hash: string;
  issuedAt: string;
  expiresAt: string;
  /** The known address `link` was sent from: told when an address is linked with it. */
  issuedFrom: string;
  /** The messages whose wrong tries were counted against it, each once. */
  wrongTries: string[];
  /** The message that linked an address with it; null while unused. */
  usedBy: string | null;
}

/** An address linked to a person of the directory, stored under the address. */
export interface LinkedAddress {
  address: string;
  personId: string;
  linkedAt: string;
  /** The known address the code was asked for from. */
  linkedFrom: string;
  /** The message that linked it: a redelivery of that message finds its own link. */
  linkedBy: string;
}

/** One entry of the append-only log of who changed whose identity, when, and from where. */
export interface IdentityChange {
  kind: "link-code-issued" | "address-linked" | "link-code-voided";
  personId: string;
  at: string;
  /** The address the message came from. */
  from: string;
  /** The address linked (for "address-linked"). */
  address?: string;
  /** The message that made the change: recorded once per message and person. */
  cause: string;
}

export type LinkResult = { kind: "linked" } | { kind: "exists"; existing: LinkedAddress };

/** Linked addresses, link codes and the identity log (closed mode). */
export interface Identities {
  /** The link of an address, if it has one; read by primary key. */
  linkOf: (address: string) => Promise<LinkedAddress | null>;
  /** The addresses linked to a person, oldest first. */
  linkedTo: (personId: string) => Promise<LinkedAddress[]>;
  /** Links an address unless it is linked already: an insert under the address, never an overwrite. */
  link: (linked: LinkedAddress) => Promise<LinkResult>;
  /** Stores a person's code, replacing the one they had. */
  putCode: (code: StoredLinkCode) => Promise<void>;
  /** Every code stored: at most one per person of the directory. */
  codes: () => Promise<StoredLinkCode[]>;
  /**
   * Counts the wrong try of message `tryKey` against the person's code with
   * this salt, once however often it is counted; the code's wrong tries
   * after it, or null when that code is gone or was replaced.
   */
  countWrongTry: (personId: string, salt: string, tryKey: string) => Promise<number | null>;
  /** Marks the code with this salt used by message `key`; false when another message used it or it is gone. */
  useCode: (personId: string, salt: string, key: string) => Promise<boolean>;
  /** Appends a change to the log; the same change again (a redelivery) is kept once. */
  record: (change: IdentityChange) => Promise<void>;
}
