import type { Run } from "./stored-run.js";

type SlotState = Pick<Run, "status" | "waitingForSlot">;

/** Approved, not dispatched: waiting for a slot of its job. */
export const isWaitingForSlot = (run: SlotState) =>
  run.status === "Dispatching" && run.waitingForSlot;

/** Dispatched or running: what a slot is held for. */
export const isExecuting = (run: SlotState) =>
  run.status === "Running" || (run.status === "Dispatching" && !run.waitingForSlot);
