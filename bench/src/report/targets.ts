/** The figures' targets (from the issue that asked for the bench). */
export interface Target {
  min?: number;
  max?: number;
  text: string;
}

export const TARGETS = {
  orchestratorToBaseline: { min: 0.5, text: "≥ 0.5" },
  ingressP99At200: { max: 50, text: "< 50 ms" },
  approvalP50: { max: 20, text: "< 20 ms" },
  scale3: { min: 0.9, text: "≥ 0.9" },
  growthRatio: { max: 1.2, text: "≤ 1.2" },
} satisfies Record<string, Target>;

/** "met" or "MISSED"; empty when there is no figure. */
export function verdict(value: number | null | undefined, target: Target): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  const ok = target.min !== undefined ? value >= target.min : value <= (target.max ?? Infinity);
  return ok ? "met" : "MISSED";
}
