export * from "./describe-issues.js";
export * from "./parse-yaml-file.js";
