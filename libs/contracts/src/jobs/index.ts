export * from "./executor-definition.js";
export * from "./job-definition.js";
export * from "./parameter-definition.js";
export * from "./parameter-value.js";
export * from "./policy-definition.js";
