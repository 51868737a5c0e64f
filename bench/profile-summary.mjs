#!/usr/bin/env node
// Summarises V8 CPU profiles (from `BENCH_CPU_PROF=<dir> npm run bench`, or any
// `node --cpu-prof`): where the process spent its CPU time, by package and by function.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));

// Self time of each node: its samples times their intervals.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i += 1) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** Which package a script belongs to: a node_modules package, a workspace folder, node itself. */
function owner(url) {
  if (!url) return "(native / V8)";
  if (url.startsWith("node:")) return "node:internal";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const workspace = /\/(services\/[^/]+|libs\/[^/]+|bench)\//.exec(url);
  return workspace ? workspace[1] : url;
}

const byOwner = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const pkg = ["(idle)", "(program)", "(garbage collector)"].includes(functionName)
    ? functionName
    : owner(url);
  byOwner.set(pkg, (byOwner.get(pkg) ?? 0) + us);
  const where = url
    ? `${url.replace(/^.*\/(node_modules|services|libs)\//, "$1/")}:${lineNumber + 1}`
    : "";
  const key = `${functionName || "(anonymous)"} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const busy = total - (byOwner.get("(idle)") ?? 0);
const line = (us, label) =>
  `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${label}`;
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(2)} s busy (shares are of busy time)`,
);
console.log("\nby package");
for (const [k, v] of [...byOwner]
  .filter(([k]) => k !== "(idle)")
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(line(v, k));
}
console.log("\nby function (self time)");
for (const [k, v] of [...byFunction]
  .filter(([k]) => !k.startsWith("(idle)"))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(line(v, k));
}
