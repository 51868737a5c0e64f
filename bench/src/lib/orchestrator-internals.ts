// The orchestrator's internals that the diagnostics (trace-db, sweep-cost) run
// in-process, from its compiled dist, unchanged. The one module of the bench
// that reaches inside a service: when the orchestrator's internal API changes,
// this is where the bench follows.
export {
  createOrchestrator,
  type OrchestratorOptions,
} from "../../../services/orchestrator/dist/orchestrator.js";
export { shippedCatalog } from "../../../services/orchestrator/dist/testing/test-catalog.js";
export { createRun } from "../../../services/orchestrator/dist/domain/create-run.js";
export { decide, type RunInput } from "../../../services/orchestrator/dist/domain/decide.js";
export type { Run } from "../../../services/orchestrator/dist/domain/stored-run.js";
