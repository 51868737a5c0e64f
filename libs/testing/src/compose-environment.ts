import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const composeFile = fileURLToPath(new URL("../../../docker-compose.yml", import.meta.url));

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string> }>;
}

/** The environment variable names docker-compose.yml gives a service. */
export function composeEnvironment(service: string): string[] {
  const compose = parse(readFileSync(composeFile, "utf8")) as ComposeFile;
  const definition = compose.services[service];
  if (!definition) throw new Error(`docker-compose.yml has no service ${service}`);
  return Object.keys(definition.environment ?? {});
}
