/**
 * The composition root moved to ../orchestrator.ts (it wires the adapters,
 * which app/ does not import). This re-export keeps main.ts's import working
 * until main.ts imports ../orchestrator.js itself; then delete this file.
 */
export { createOrchestrator, type Decorators, type OrchestratorOptions } from "../orchestrator.js";
