export * from "./fixtures.js";
export * from "./rabbit-admin.js";
export * from "./servers.js";
export * from "./queue-reader.js";
export * from "./compose-environment.js";
export * from "./garbage-messages.js";
