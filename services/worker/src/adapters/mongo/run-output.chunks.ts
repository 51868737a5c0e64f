import { RUN_OUTPUT, type RunOutputChunk } from "@textops/contracts";
import { MongoServerError, type Collection } from "mongodb";

const DUPLICATE_KEY = 11000;

interface KeptChunk {
  seq: number;
  bytes: number;
}

/**
 * The chunk documents of one attempt as its writer knows them: the next seq,
 * and the seq and size of every kept chunk, so that the oldest are deleted
 * once the kept total passes the limit. What an earlier process wrote for
 * the same attempt is read first, so seqs continue and the limit holds.
 */
export function createAttemptChunks(
  collection: Collection<RunOutputChunk>,
  { runId, attempt, limitBytes }: { runId: string; attempt: number; limitBytes: number },
) {
  const ofAttempt = RUN_OUTPUT.ofAttempt(runId, attempt);
  let kept: KeptChunk[] | null = null;
  let keptBytes = 0;
  let nextSeq = 0;
  let deleteBelow = 0;
  let deletedBelow = 0;

  function record({ seq, bytes, cut }: Pick<RunOutputChunk, "seq" | "bytes" | "cut">) {
    // Text older than a cut chunk's was dropped: nothing before it is worth keeping.
    if (cut) {
      kept = [];
      keptBytes = 0;
      deleteBelow = seq;
    }
    const list = (kept ??= []);
    list.push({ seq, bytes });
    keptBytes += bytes;
    while (keptBytes > limitBytes && list.length > 1) {
      keptBytes -= list.shift()?.bytes ?? 0;
      deleteBelow = list[0]?.seq ?? deleteBelow;
    }
  }

  /** Whether the document stored under the chunk's seq is this chunk. */
  async function holdsChunk(chunk: RunOutputChunk): Promise<boolean> {
    const stored = await collection.findOne(
      { ...ofAttempt, seq: chunk.seq },
      { projection: { _id: 0, text: 1, at: 1 } },
    );
    return stored?.text === chunk.text && stored.at === chunk.at;
  }

  return {
    /** Reads what is stored for the attempt, once (again after a seq was found taken). */
    async load(): Promise<void> {
      if (kept) return;
      const stored = await collection
        .find(ofAttempt)
        .project<KeptChunk>({ _id: 0, seq: 1, bytes: 1 })
        .sort(RUN_OUTPUT.inOrder)
        .toArray();
      kept = [];
      keptBytes = 0;
      for (const chunk of stored) record(chunk);
      nextSeq = (stored.at(-1)?.seq ?? -1) + 1;
    },
    /** The seq for the next chunk; call after load. */
    nextSeq: () => nextSeq++,
    /**
     * Stores a chunk. "seq taken" when another writer holds its seq: load
     * again and give the chunk a new one. `retry` says an earlier insert of
     * this very chunk went unanswered, so a duplicate is that insert, landed.
     */
    async insert(chunk: RunOutputChunk, retry: boolean): Promise<"stored" | "seq taken"> {
      try {
        await collection.insertOne({ ...chunk });
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        // The driver may itself have sent the insert again after a network error: a
        // duplicate is then this very chunk, landed. Only another writer's chunk means the seq is taken.
        if (!retry && !(await holdsChunk(chunk))) {
          kept = null;
          return "seq taken";
        }
      }
      record(chunk);
      return "stored";
    },
    /** Whether chunks past the limit are still to be deleted. */
    get trimPending() {
      return deleteBelow > deletedBelow;
    },
    /** Deletes the chunks that no longer fit; a failed delete is tried again next time. */
    async trim(): Promise<void> {
      if (deleteBelow <= deletedBelow) return;
      const below = deleteBelow;
      await collection.deleteMany({ ...ofAttempt, seq: { $lt: below } });
      deletedBelow = Math.max(deletedBelow, below);
    },
  };
}

export type AttemptChunks = ReturnType<typeof createAttemptChunks>;
