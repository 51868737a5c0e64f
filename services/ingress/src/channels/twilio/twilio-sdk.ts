/*
 * The official SDK's parts TextOps uses, each imported by its path. Through
 * the "twilio" entry point they type as `any` here: its .d.ts files
 * default-import modules declared with `export =`, which needs
 * esModuleInterop (off in this repo; skipLibCheck hides the errors). These
 * are the same objects that `twilio`, `twilio.RequestClient`,
 * `twilio.twiml.MessagingResponse` and `twilio.validateRequest` are.
 */
export { default as TwilioClient } from "twilio/lib/rest/Twilio.js";
export { default as RequestClient } from "twilio/lib/base/RequestClient.js";
export { default as MessagingResponse } from "twilio/lib/twiml/MessagingResponse.js";
export { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks.js";
