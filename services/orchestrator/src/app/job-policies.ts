/**
 * Moved to ../domain/job-policies.ts (a pure rule). This re-export keeps
 * bench/src/lib/orchestrator-internals.ts building until it imports the
 * domain module itself; then delete this file.
 */
export { jobPolicy } from "../domain/job-policies.js";
