import { z } from "zod";

/** Six characters from an alphabet without 0/O/1/I, so people can type them from a phone. */
export const RUN_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const RUN_ID_LENGTH = 6;

export const RunId = z
  .string()
  .regex(/^[A-HJ-NP-Z2-9]{6}$/, "a run id is 6 characters from A-Z and 2-9 without I and O");
export type RunId = z.infer<typeof RunId>;

export const Timestamp = z.iso.datetime({ offset: true });
export type Timestamp = z.infer<typeof Timestamp>;

export const NonEmpty = z.string().min(1);

/**
 * `user:<person>` (a person of the directory), `user:<channel>:<address>` (a
 * sender when TextOps runs without one), `worker:<id>`, `system`,
 * `scheduler`, or `policy` (what a job's policy decided by itself).
 */
export const Actor = z.string().regex(/^(user:[^:]+(:.+)?|worker:.+|system|scheduler|policy)$/, {
  message:
    "an actor is user:<person>, user:<channel>:<address>, worker:<id>, system, scheduler or policy",
});
export type Actor = z.infer<typeof Actor>;

/** Job parameters as a list, so user-chosen names never become document keys. */
export const JobParameter = z.object({
  name: z.string().min(1).max(64),
  value: z.string().max(1000),
});
export type JobParameter = z.infer<typeof JobParameter>;

export const JobKey = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    "a job key is 1-64 lowercase letters, digits, '_', '.' or '-'",
  );
export type JobKey = z.infer<typeof JobKey>;
