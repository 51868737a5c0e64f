import { RUN_OUTPUT, type RunOutputChunk } from "@textops/contracts";
import type { Collection, Db } from "mongodb";
import type { Logger } from "pino";
import { createBoundedText, type BoundedText } from "./bounded-text.js";
import { createAttemptChunks, type AttemptChunks } from "./run-output.chunks.js";

/** One attempt's output on its way to MongoDB. */
export interface RunOutput {
  /** Buffers `text`; never throws and never waits for the database. */
  write(text: string): void;
  /** Flushes what is left. Resolves even when the database is away (then the rest is lost, with a warning). */
  close(): Promise<void>;
}

export interface RunOutputStore {
  open(runId: string, attempt: number): RunOutput;
  ensureIndexes(): Promise<void>;
}

export interface RunOutputStoreOptions {
  /** The most output kept per attempt (and held in memory while the database is slow). */
  limitBytes?: number;
  /** The longest text waits before it is flushed. */
  flushIntervalMs?: number;
  /** This much buffered text is flushed at once. */
  flushBytes?: number;
  /** The longest close waits for the last flush. */
  closeTimeoutMs?: number;
  now?: () => Date;
  log?: Logger;
}

type Settings = Required<Omit<RunOutputStoreOptions, "log">> & { log: Logger | undefined };

/** Appends each attempt's output to RUN_OUTPUT.collection as the job writes it, keeping its last limitBytes. */
export function createRunOutputStore(db: Db, options: RunOutputStoreOptions = {}): RunOutputStore {
  const collection = db.collection<RunOutputChunk>(RUN_OUTPUT.collection);
  const settings: Settings = {
    limitBytes: options.limitBytes ?? RUN_OUTPUT.limitBytes,
    flushIntervalMs: options.flushIntervalMs ?? 500,
    flushBytes: options.flushBytes ?? 64 * 1024,
    closeTimeoutMs: options.closeTimeoutMs ?? 5000,
    now: options.now ?? (() => new Date()),
    log: options.log,
  };
  return {
    async ensureIndexes() {
      // Its prefixes also serve every read: an attempt's chunks in seq order, a run's attempts.
      await collection.createIndex(
        { runId: 1, attempt: 1, seq: 1 },
        { unique: true, name: "runId_attempt_seq" },
      );
    },
    open: (runId, attempt) => openRunOutput(collection, settings, runId, attempt),
  };
}

/** A chunk given a seq (or about to be), kept until the database has it. */
interface Outgoing {
  chunk: Omit<RunOutputChunk, "seq"> & { seq: number | null };
  /** An insert of it went unanswered: it may be stored already. */
  retry: boolean;
}

function openRunOutput(
  collection: Collection<RunOutputChunk>,
  settings: Settings,
  runId: string,
  attempt: number,
): RunOutput {
  const log = settings.log?.child({ runId, attempt });
  const buffer: BoundedText = createBoundedText(settings.limitBytes);
  const chunks: AttemptChunks = createAttemptChunks(collection, {
    runId,
    attempt,
    limitBytes: settings.limitBytes,
  });
  let outgoing: Outgoing | null = null;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let failing = false;
  let closing: Promise<void> | undefined;

  const hasWork = () => outgoing !== null || buffer.bytes > 0 || chunks.trimPending;

  /** One step: the chunk in hand or the buffer's text into one chunk, then the trim. */
  async function flushOnce(): Promise<void> {
    await chunks.load();
    // Buffered text was dropped for newer: the chunk in hand is older still.
    if (outgoing && buffer.cut) outgoing = null;
    outgoing ??= nextChunk();
    if (outgoing) {
      const chunk = { ...outgoing.chunk, seq: outgoing.chunk.seq ?? chunks.nextSeq() };
      outgoing.chunk = chunk;
      let stored: "stored" | "seq taken";
      try {
        stored = await chunks.insert(chunk, outgoing.retry);
      } catch (error) {
        outgoing.retry = true;
        throw error;
      }
      if (stored === "seq taken") outgoing.chunk.seq = null;
      else outgoing = null;
    }
    await chunks.trim();
  }

  function nextChunk(): Outgoing | null {
    const taken = buffer.take();
    if (!taken) return null;
    const at = settings.now().toISOString();
    const chunk = { runId, attempt, seq: null, text: taken.text, bytes: taken.bytes, at };
    return { chunk: taken.cut ? { ...chunk, cut: true } : chunk, retry: false };
  }

  async function flushWhileDue(): Promise<void> {
    do {
      try {
        await flushOnce();
      } catch (error) {
        if (!failing) log?.warn({ err: error }, "run output not saved yet; retrying");
        failing = true;
        break;
      }
      if (failing) log?.info("run output saved again");
      failing = false;
    } while (buffer.bytes >= settings.flushBytes);
    flushing = undefined;
    if (hasWork() && !closing) startTimer();
  }

  function flushNow() {
    clearTimeout(timer);
    timer = undefined;
    flushing ??= flushWhileDue();
  }

  function startTimer() {
    if (timer || flushing) return;
    timer = setTimeout(flushNow, settings.flushIntervalMs);
    // Pending output never keeps the process alive: close() flushes it.
    timer.unref();
  }

  async function flushRest(): Promise<void> {
    clearTimeout(timer);
    await flushing;
    try {
      // The chunk in hand, then the buffer's text (each may need a second go for a taken seq).
      for (let step = 0; step < 4 && hasWork(); step++) await flushOnce();
    } catch (error) {
      log?.warn(
        { err: error, lostBytes: buffer.bytes + (outgoing?.chunk.bytes ?? 0) },
        "run output not saved: the end of it is lost",
      );
    }
  }

  return {
    write(text) {
      if (closing) return;
      buffer.append(text);
      if (buffer.bytes >= settings.flushBytes && !failing) flushNow();
      else startTimer();
    },
    close() {
      closing ??= withTimeout(flushRest(), settings.closeTimeoutMs, () =>
        log?.warn("run output not saved in time: the end of it may be lost"),
      );
      return closing;
    },
  };
}

/** Resolves when `work` settles or after `ms`, whichever is first. */
async function withTimeout(work: Promise<void>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
