// The entry point for scripts outside vitest (the bench): nothing reachable
// from here imports vitest, whose `test.extend` throws outside the runner.
export * from "./rabbit-admin.js";
