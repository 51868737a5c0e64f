// Summarises V8 CPU profiles (from `BENCH_CPU_PROF=<dir> npm run bench`, or any
// `node --cpu-prof`): where the process spent its CPU time, by package and by function.
// Usage: node bench/dist/profile-summary.js <file.cpuprofile> [top]
import { readFileSync } from "node:fs";
import { z } from "zod";

/** The part of a .cpuprofile that is read. */
const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/dist/profile-summary.js <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = CpuProfile.parse(JSON.parse(readFileSync(file, "utf8")));

const add = (map: Map<string | number, number>, key: string | number, us: number) =>
  map.set(key, (map.get(key) ?? 0) + us);

// Self time of each node: its samples times their intervals.
const selfUs = new Map<string | number, number>();
profile.samples.forEach((id, i) => add(selfUs, id, profile.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** Which package a script belongs to: a node_modules package, a workspace folder, node itself. */
function owner(url: string): string {
  if (!url) return "(native / V8)";
  if (url.startsWith("node:")) return "node:internal";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  const workspace = /\/(services\/[^/]+|libs\/[^/]+|bench)\//.exec(url);
  return workspace?.[1] ?? url;
}

const byOwner = new Map<string | number, number>();
const byFunction = new Map<string | number, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const pkg = ["(idle)", "(program)", "(garbage collector)"].includes(functionName)
    ? functionName
    : owner(url);
  add(byOwner, pkg, us);
  const where = url
    ? `${url.replace(/^.*\/(node_modules|services|libs)\//, "$1/")}:${lineNumber + 1}`
    : "";
  add(byFunction, `${functionName || "(anonymous)"} ${where}`, us);
}

const busy = total - (byOwner.get("(idle)") ?? 0);
const line = (us: number, label: string | number) =>
  `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${label}`;
const topOf = (map: Map<string | number, number>, skip: (k: string) => boolean) =>
  [...map]
    .filter(([k]) => !skip(String(k)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(2)} s busy (shares are of busy time)`,
);
console.log("\nby package");
for (const [k, v] of topOf(byOwner, (k) => k === "(idle)")) console.log(line(v, k));
console.log("\nby function (self time)");
for (const [k, v] of topOf(byFunction, (k) => k.startsWith("(idle)"))) console.log(line(v, k));
