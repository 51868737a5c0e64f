export * from "./check-parameters.js";
export * from "./executor-definition.js";
export * from "./job-definition.js";
export * from "./parameter-definition.js";
export * from "./parse-catalog.js";
