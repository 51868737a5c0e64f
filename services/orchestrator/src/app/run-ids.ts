import { randomInt } from "node:crypto";
import { RUN_ID_ALPHABET, RUN_ID_LENGTH } from "@textops/contracts";
import type { RunIdGenerator } from "./ports.js";

export const randomRunId: RunIdGenerator = () => {
  let id = "";
  for (let i = 0; i < RUN_ID_LENGTH; i += 1) {
    id += RUN_ID_ALPHABET[randomInt(RUN_ID_ALPHABET.length)];
  }
  return id;
};
