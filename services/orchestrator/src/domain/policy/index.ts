export * from "./policy-person.js";
export * from "./may-request.js";
export * from "./resolve-approvers.js";
export * from "./approval-state.js";
export * from "./decide-approval.js";
export * from "./confirm-code.js";
export * from "./expiry.js";
export * from "./policy-texts.js";
