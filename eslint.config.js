import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", ".local/**", "coverage/**"] },
  { languageOptions: { globals: globals.node } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "*.config.ts", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The deterministic core: no I/O, no clocks, no frameworks.
    files: ["services/*/src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*"], message: "domain code does no I/O" },
            { group: ["mongodb", "amqplib", "amqp-connection-manager", "express", "pino"] },
          ],
        },
      ],
    },
  },
  {
    // The worker's execution code declares what it needs (execution/ports.ts); adapters implement it.
    files: ["services/worker/src/execution/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/adapters", "**/adapters/**"],
              message: "declare the interface in execution/ports.ts; main.ts hands in the adapter",
            },
          ],
        },
      ],
    },
  },
  {
    // The orchestrator's app layer uses the ports it declares (app/ports.ts);
    // the adapters implement them and src/orchestrator.ts wires them in.
    // Integration tests wire real adapters, so they are left out.
    files: ["services/orchestrator/src/app/**/*.ts"],
    ignores: ["services/orchestrator/src/app/**/*.int.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/adapters", "**/adapters/**"],
              message: "app/ declares the ports it needs in app/ports.ts; adapters implement them",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["*.js", "scripts/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
