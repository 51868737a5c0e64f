export * from "./catalog-schema.js";
export * from "./check-parameters.js";
export * from "./parse-catalog.js";
