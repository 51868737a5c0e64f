import { parameter, type JobExecutor } from "./job-executor.js";

/** Always fails, with the `reason` parameter when given. */
export const failExecutor: JobExecutor = ({ parameters }) =>
  Promise.reject(new Error(parameter(parameters, "reason") ?? "Job 'fail' failed on purpose"));
