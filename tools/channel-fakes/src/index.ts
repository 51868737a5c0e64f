export * from "./fake-twilio.js";
export * from "./fake-telegram.js";
