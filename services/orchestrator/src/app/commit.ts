import type { Logger } from "pino";
import type { Answer } from "../domain/answers.js";
import type { Decision, RunChange } from "../domain/decision.js";
import {
  announcedLook,
  inboxLook,
  retryLook,
  settledLook,
  type LookPlan,
} from "../domain/look-plan.js";
import type { LookState } from "../domain/next-look.js";
import { outboxEntries } from "../domain/outbox-entries.js";
import type { OutboxEntry, ProcessedMessage, Run } from "../domain/stored-run.js";
import { createOutboxRelay, type OutboxOwner } from "./outbox-relay.js";
import type {
  Clock,
  DispatchSigner,
  InboxEntry,
  InboxKey,
  InboxStore,
  Publisher,
  RunStore,
  WatchedInbox,
  WatchedRun,
} from "./ports.js";

/** What one cause sends once committed: notices, and perhaps a dispatch or a cancel. */
export type Sends = Pick<Decision, "outbound" | "dispatch" | "cancel" | "dispatchDelayMs">;

/** A change decided on a run as read; it is written only if the run is still at that version. */
export interface RunChangeCommit {
  run: Run;
  change: RunChange;
  sends: Sends;
  /** The message that caused it; outbox message ids derive from it. */
  causationId: string;
  /** Epoch milliseconds: the clock value the change was decided at. */
  now: number;
  /** Marks the run as holding this cause's effect and answer; null for sweeps and heartbeats. */
  processed: ProcessedMessage | null;
}

/** A new run (its outbox and `processed` still empty), what it sends, and the answer it holds. */
export interface NewRunCommit {
  run: Run;
  sends: Sends;
  causationId: string;
  now: number;
  processed: ProcessedMessage;
}

/** An answer that changed no run: kept in the message's inbox entry with its notices. */
export interface AnswerOnlyCommit {
  key: InboxKey;
  answer: Answer;
  /**
   * What the inbox entry keeps of the answer, when not the answer itself: one
   * carrying a secret (a link code) is kept masked. The notices carrying it
   * stay in the entry's outbox only until they are published.
   */
  kept?: Answer | undefined;
  causationId: string;
  /** For the notices' outbox entries when the answer names no run. */
  correlationId: string;
  now: number;
}

/** The sender waiting for an answer: where it goes, and the message's log. */
export interface Sender {
  replyTo: string;
  correlationId: string;
  causationId: string;
  log: Logger;
}

/**
 * The commit unit: the one place that makes a decided effect durable and
 * sends what it sends. For runs and inbox entries alike it writes the
 * outbox entries in the same guarded single-document write, announcing the
 * sweeper's next look before it; answers the sender as soon as that write is
 * made; publishes the entries with confirms and removes them; then settles
 * the look. It owns the outbox age and the relay, and for the sweeper it
 * republishes what a crash left behind. Commands decide what to commit and
 * never see any of this.
 */
export interface Commit {
  /** false: the run is no longer at the version read (a conflict); nothing was written. */
  runChange(commit: RunChangeCommit, sender: Sender | null): Promise<boolean>;
  /** "exists": a run with that id is already stored; nothing was written. */
  newRun(commit: NewRunCommit, sender: Sender | null): Promise<"committed" | "exists">;
  /** Marks the message done with its answer, keeping its notices until they are published. */
  answerOnly(commit: AnswerOnlyCommit, sender: Sender | null): Promise<void>;
  /** A cause committed before (a redelivery after a crash): publishes what it left pending. */
  finishRun(run: Run, causationId: string): Promise<void>;
  finishInbox(entry: InboxEntry): Promise<void>;
  /** Answers a sender whose message committed nothing now (a courtesy: never fails). */
  answer(sender: Sender | null, answer: Answer): Promise<void>;
  /** For the sweeper: a write announced but not (yet) seen made; look again later. */
  lookAgainLater(watched: WatchedRun | WatchedInbox, now: number): Promise<void>;
  /** For the sweeper: republishes a run's stranded entries and plans its next look; returns how many. */
  republishRun(watched: WatchedRun, run: Run, now: number): Promise<number>;
  republishInbox(watched: WatchedInbox, entry: InboxEntry, now: number): Promise<number>;
}

export interface CommitResources {
  runs: RunStore;
  inbox: InboxStore;
  publisher: Publisher;
  signDispatch: DispatchSigner;
  clock: Clock;
  log: Logger;
  /** Outbox entries are looked at by the sweeper once they are this old. */
  outboxAgeMs: number;
  /** A dispatch no worker has taken this long is looked at by the sweeper. */
  dispatchWaitMs: number;
}

/** A run write made: what the look after publishing depends on. */
interface RunWritten {
  runId: string;
  /** The version the write gave the run. */
  version: number;
  after: LookState;
  /** The look announced before the write (null: none). */
  lookAt: string | null;
  /** Entries the run held before, still pending after these are published. */
  pendingBefore: number;
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createCommit(resources: CommitResources): Commit {
  const { runs, inbox, publisher, clock, outboxAgeMs } = resources;
  const times = { outboxAgeMs, dispatchWaitMs: resources.dispatchWaitMs };
  const relay = createOutboxRelay({ ...resources, ageMs: outboxAgeMs });

  /** After the write: the sender hears while the entries are published; then the look is settled. */
  async function publishAndSettle(
    owner: OutboxOwner,
    entries: OutboxEntry[],
    settle: () => Promise<void>,
    answered: Promise<void>,
  ) {
    await relay.flush(owner, entries);
    await settle();
    await answered;
  }

  /** Published: a look announced for these entries is no longer needed. */
  async function settleRun(w: RunWritten) {
    const next = settledLook(w.after, w.pendingBefore, w.now, times);
    if (w.lookAt !== null && next !== w.lookAt) {
      await runs.settle({ runId: w.runId, intent: w.version }, next);
    }
  }

  async function answer(sender: Sender | null, answer: Answer) {
    if (!sender) return;
    try {
      await publisher.publish("OrchestratorReply", answer, {
        replyTo: sender.replyTo,
        correlationId: sender.correlationId,
        causationId: sender.causationId,
      });
    } catch (error) {
      // The answer is a courtesy to a waiting HTTP request; the effect is already durable.
      sender.log.warn({ err: error }, "could not answer the sender; it will time out and poll");
    }
  }

  const answerHeld = (sender: Sender | null, processed: ProcessedMessage | null) =>
    processed ? answer(sender, processed.reply) : Promise.resolve();

  return {
    async runChange(c, sender) {
      const { run } = c;
      const at = iso(c.now);
      const entries = outboxEntries(c.sends, c.causationId, run.runId, at);
      const after = { ...run, ...c.change, events: [...run.events, ...c.change.events] };
      const lookAt = announcedLook(run, after, entries.length, c.now, times);
      const processed = c.processed ? [c.processed] : [];
      const write = { ...c.change, updatedAt: at, outbox: entries, processed };
      if (!(await runs.apply(run.runId, run.version, write, lookAt))) return false;
      const written = { runId: run.runId, version: run.version + 1, after, lookAt, now: c.now };
      await publishAndSettle(
        { runId: run.runId },
        entries,
        () => settleRun({ ...written, pendingBefore: run.outbox.length }),
        answerHeld(sender, c.processed),
      );
      return true;
    },

    async newRun(c, sender) {
      const { runId } = c.run;
      const outbox = outboxEntries(c.sends, c.causationId, runId, iso(c.now));
      const run = { ...c.run, outbox, processed: [c.processed] };
      const lookAt = settledLook(run, outbox.length, c.now, times);
      if ((await runs.insert(run, lookAt)) === "exists") return "exists";
      const written = { runId, version: run.version, after: run, lookAt, now: c.now };
      await publishAndSettle(
        { runId },
        outbox,
        () => settleRun({ ...written, pendingBefore: 0 }),
        answerHeld(sender, c.processed),
      );
      return "committed";
    },

    async answerOnly(c, sender) {
      const correlationId = c.answer.runId ?? c.correlationId;
      const sends = { outbound: c.answer.outbound, dispatch: null, cancel: null };
      const entries = outboxEntries(sends, c.causationId, correlationId, iso(c.now));
      const plan: LookPlan = inboxLook(clock(), outboxAgeMs);
      const watched = await inbox.complete(c.key, c.kept ?? c.answer, entries, plan);
      if (watched === "already-done") {
        // Another delivery of this message completed it first, its notices with it.
        await answer(sender, c.answer);
        return;
      }
      const settle = async () => {
        if (watched) await inbox.settle(watched, null); // published: nothing left to look at
      };
      await publishAndSettle({ inboxKey: c.key }, entries, settle, answer(sender, c.answer));
    },

    finishRun: (run, causationId) =>
      relay.flush(
        { runId: run.runId },
        run.outbox.filter((entry) => entry.causationId === causationId),
      ),

    finishInbox: (entry) => relay.flush({ inboxKey: keyOf(entry) }, entry.outbox),

    answer,

    async lookAgainLater(watched, now) {
      const lookAt = retryLook(watched.announcedAt, now, outboxAgeMs);
      await ("runId" in watched ? runs.settle(watched, lookAt) : inbox.settle(watched, lookAt));
    },

    async republishRun(watched, run, now) {
      const done = await relay.republish({ runId: run.runId }, run.outbox, now);
      const pending = run.outbox.length - done.length;
      await runs.settle(watched, settledLook(run, pending, now, times));
      return done.length;
    },

    async republishInbox(watched, entry, now) {
      const done = await relay.republish({ inboxKey: watched.key }, entry.outbox, now);
      const pending = entry.outbox.length - done.length;
      await inbox.settle(watched, pending > 0 ? inboxLook(now, outboxAgeMs).lookAt : null);
      return done.length;
    },
  };
}

const keyOf = (entry: InboxKey): InboxKey => ({
  channelId: entry.channelId,
  providerMessageId: entry.providerMessageId,
});
