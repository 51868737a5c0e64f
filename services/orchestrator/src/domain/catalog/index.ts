export * from "./catalog-schema.js";
export * from "./check-parameters.js";
export * from "./parse-catalog.js";
export * from "./job-catalog.js";
export * from "./describe-job.js";
