export * from "./connection.js";
export * from "./consumer.js";
export * from "./dead-letter.js";
export * from "./envelope.js";
export * from "./errors.js";
export * from "./publisher.js";
export * from "./topology.js";
