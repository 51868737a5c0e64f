import { createHash } from "node:crypto";
import { JobDefinition } from "@textops/contracts";
import type { Db } from "mongodb";

interface StoredDefinition {
  _id: string;
  job: JobDefinition;
}

/**
 * Job definitions by content: each run and each pending dispatch names its
 * definition by a hash of it, and the definition itself is stored once in
 * `job_definitions`, so run documents stay as small as before the catalog
 * (the database rewrites a whole document on every change to it).
 */
export interface JobDefinitions {
  /** The definition's name; stored (once) before any document names it. */
  remember(job: JobDefinition): Promise<string>;
  /** The definition with this name; a name nobody remembered is a broken store. */
  recall(hash: string): Promise<JobDefinition>;
}

export function createJobDefinitions(db: Db): JobDefinitions {
  const definitions = db.collection<StoredDefinition>("job_definitions");
  // A name always means one content, so what was read once can be kept.
  const known = new Map<string, JobDefinition>();
  // Definitions are never changed once made, and the same few objects (the
  // catalog's, or those recalled) come back on every write: each is hashed once.
  const names = new WeakMap<JobDefinition, string>();
  const nameOf = (job: JobDefinition) => {
    let hash = names.get(job);
    if (hash === undefined) {
      hash = createHash("sha256").update(JSON.stringify(job)).digest("hex").slice(0, 24);
      names.set(job, hash);
    }
    return hash;
  };
  return {
    async remember(job) {
      const hash = nameOf(job);
      if (known.has(hash)) return hash;
      const insert = { $setOnInsert: { job } };
      await definitions.updateOne({ _id: hash }, insert, { upsert: true });
      known.set(hash, job);
      return hash;
    },
    async recall(hash) {
      const cached = known.get(hash);
      if (cached) return cached;
      const stored = await definitions.findOne({ _id: hash });
      if (!stored) throw new Error(`job definition ${hash} is named by a run but not stored`);
      const job = JobDefinition.parse(stored.job);
      known.set(hash, job);
      names.set(job, hash);
      return job;
    },
  };
}
