import type { JobExecutor } from "./job-executor.js";

/** Succeeds with its parameters as the summary: `env=prod note=two words`. */
export const echoExecutor: JobExecutor = ({ parameters }) => {
  const listed = parameters.map((p) => `${p.name}=${p.value}`).join(" ");
  return Promise.resolve({ summary: listed === "" ? "no parameters" : listed });
};
