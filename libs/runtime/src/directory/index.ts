export * from "./directory.js";
export * from "./load-directory.js";
export * from "./parse-users-file.js";
