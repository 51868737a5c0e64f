export * from "./person-id.js";
export * from "./address.js";
export * from "./users-file.js";
