import { JobDefinition, JobKey } from "@textops/contracts";
import { z } from "zod";

/** The whole catalog file. */
export const Catalog = z.strictObject({
  jobs: z
    .record(JobKey, JobDefinition)
    .refine((jobs) => Object.keys(jobs).length > 0, "the catalog defines no jobs"),
});
export type Catalog = z.infer<typeof Catalog>;
