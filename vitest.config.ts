import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build first.
    alias: [
      { find: /^@textops\/contracts$/, replacement: src("libs/contracts/src/index.ts") },
      { find: /^@textops\/messaging$/, replacement: src("libs/messaging/src/index.ts") },
      { find: /^@textops\/runtime$/, replacement: src("libs/runtime/src/index.ts") },
      {
        find: /^@textops\/runtime\/yaml-file$/,
        replacement: src("libs/runtime/src/yaml-file/index.ts"),
      },
      { find: /^@textops\/testing$/, replacement: src("libs/testing/src/index.ts") },
      {
        find: /^@textops\/channel-fakes$/,
        replacement: src("tools/channel-fakes/src/index.ts"),
      },
    ],
  },
  test: {
    include: [
      "libs/*/src/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "tools/*/src/**/*.test.ts",
      "e2e/**/*.test.ts",
      "scripts/*.test.mjs",
    ],
    globalSetup: ["libs/testing/src/global-setup.ts"],
    reporters: ["default", "./libs/testing/src/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
