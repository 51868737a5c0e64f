import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build first.
    alias: {
      "@textops/contracts": src("libs/contracts/src/index.ts"),
      "@textops/messaging": src("libs/messaging/src/index.ts"),
      "@textops/runtime": src("libs/runtime/src/index.ts"),
      "@textops/testing": src("libs/testing/src/index.ts"),
    },
  },
  test: {
    include: [
      "libs/*/src/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "e2e/**/*.test.ts",
      "scripts/*.test.mjs",
    ],
    globalSetup: ["libs/testing/src/global-setup.ts"],
    reporters: ["default", "./libs/testing/src/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
