import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@textops/testing";
import { catalogVersion, loadCatalog, readCatalogFile } from "./catalog-file.js";

const SHIPPED = new URL("../../../../../config/jobs.yaml", import.meta.url).pathname;

function aFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "catalog-")), "jobs.yaml");
  writeFileSync(path, text);
  return path;
}

describe(readCatalogFile.name, () => {
  test("the shipped catalog parses and holds the built-in demo jobs and the example deploy", () => {
    const loaded = readCatalogFile(SHIPPED);

    expect(loaded.ok ? loaded.version : loaded.errors).toMatch(/^[0-9a-f]{12}$/);
    const jobs = loaded.ok ? loaded.catalog.jobs : {};
    expect(Object.keys(jobs)).toEqual(["demo", "sleep", "fail", "echo", "flaky", "deploy"]);
    expect(jobs.deploy).toMatchObject({
      executor: { kind: "shell", command: ["./config/jobs/deploy.sh"] },
      pool: "deployers",
      concurrency: 1,
    });
    expect(jobs.demo).toMatchObject({
      executor: { kind: "builtin", name: "demo" },
      timeoutSeconds: 60,
    });
    expect(jobs.fail?.retry).toEqual({ maxAttempts: 3, onWorkerLoss: false, onExitCodes: [] });
  });

  test("the commented example parses once uncommented", async () => {
    const { readFile } = await import("node:fs/promises");
    // `  # deploy:` and `  #   description: …` are YAML; the other comment lines are prose.
    const text = (await readFile(SHIPPED, "utf8")).replace(/^ {2}# (?=[a-z-]+:$| {2})/gm, "  ");

    const loaded = readCatalogFile(aFile(text));

    expect(loaded.ok ? Object.keys(loaded.catalog.jobs) : loaded.errors).toEqual(
      expect.arrayContaining(["deploy", "purge-cache"]),
    );
  });

  test("the version is a hash of the content: same text, same version", () => {
    const text = "jobs:\n  demo: { description: D, executor: { kind: builtin, name: demo } }\n";

    const [a, b] = [readCatalogFile(aFile(text)), readCatalogFile(aFile(text))];
    const c = readCatalogFile(aFile(`${text}# changed\n`));

    expect(a.ok && a.version).toBe(catalogVersion(text));
    expect(a.ok && b.ok && a.version === b.version).toBe(true);
    expect(a.ok && c.ok && a.version !== c.version).toBe(true);
  });

  test("a file that is not there is an error naming it", () => {
    expect(readCatalogFile("/nonexistent/jobs.yaml")).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(/^\/nonexistent\/jobs\.yaml: cannot read the job catalog: ENOENT/),
      ],
    });
  });
});

describe(loadCatalog.name, () => {
  test("throws one ConfigError listing every error, one a line", () => {
    const path = aFile(
      "jobs:\n  a: { description: A, executor: { kind: x } }\n  b: { executor: { kind: builtin, name: b } }\n",
    );

    expect(() => loadCatalog(path)).toThrow(
      [
        "invalid job catalog (JOBS_FILE), 2 error(s):",
        `  ${path}: job "a", field "executor.kind": kind must be one of shell, http, builtin`,
        `  ${path}: job "b", field "description": missing`,
      ].join("\n"),
    );
  });
});
