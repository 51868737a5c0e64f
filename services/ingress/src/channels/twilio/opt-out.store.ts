import type { Db } from "mongodb";

/**
 * Who sent STOP: the numbers TextOps must not text until they send START.
 * The later of a number's opt-out and opt-in counts (an opt-out wins a tie),
 * so a retried or late webhook cannot undo a newer choice.
 */
export interface SmsOptOuts {
  optOut(number: string, at: Date): Promise<void>;
  optIn(number: string, at: Date): Promise<void>;
  isOptedOut(number: string): Promise<boolean>;
}

/** One number's latest choices; absent fields: never made. */
interface OptOutDocument {
  /** The E.164 number. */
  _id: string;
  optedOutAt?: Date;
  optedInAt?: Date;
}

const optedOut = (doc: Omit<OptOutDocument, "_id"> | null | undefined) =>
  doc?.optedOutAt !== undefined && (doc.optedInAt === undefined || doc.optedOutAt >= doc.optedInAt);

/** The collection `sms_opt_outs`: one document per number, its _id the number. */
export function createSmsOptOutStore(db: Db): SmsOptOuts {
  const numbers = db.collection<OptOutDocument>("sms_opt_outs");
  // $max keeps the latest time: a repeat, or an older event arriving late, changes nothing.
  const record = async (number: string, field: "optedOutAt" | "optedInAt", at: Date) => {
    await numbers.updateOne({ _id: number }, { $max: { [field]: at } }, { upsert: true });
  };
  return {
    optOut: (number, at) => record(number, "optedOutAt", at),
    optIn: (number, at) => record(number, "optedInAt", at),
    async isOptedOut(number) {
      return optedOut(await numbers.findOne({ _id: number }));
    },
  };
}

/** The same rules in memory, for tests that need no database. */
export function inMemorySmsOptOuts(): SmsOptOuts & { numbers(): string[] } {
  const docs = new Map<string, Omit<OptOutDocument, "_id">>();
  const record = (number: string, field: "optedOutAt" | "optedInAt", at: Date) => {
    const doc = docs.get(number) ?? {};
    const before = doc[field];
    if (before === undefined || at > before) doc[field] = at;
    docs.set(number, doc);
    return Promise.resolve();
  };
  return {
    optOut: (number, at) => record(number, "optedOutAt", at),
    optIn: (number, at) => record(number, "optedInAt", at),
    isOptedOut: (number) => Promise.resolve(optedOut(docs.get(number))),
    /** The numbers opted out now. */
    numbers: () => [...docs].filter(([, doc]) => optedOut(doc)).map(([number]) => number),
  };
}
