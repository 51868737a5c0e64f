export * from "./env.js";
export * from "./logger.js";
export * from "./mongo-connect.js";
export * from "./mongo-monitor-watchdog.js";
export * from "./retry.js";
export * from "./run-service.js";
export * from "./shutdown.js";
export * from "./directory/index.js";
