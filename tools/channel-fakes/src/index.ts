export * from "./fake-twilio.js";
export * from "./fake-telegram.js";
export * from "./fake-slack.js";
export * from "./slack-requests.js";
