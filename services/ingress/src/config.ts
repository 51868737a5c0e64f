import { configLoader, SERVICE_VARIABLES, USERS_FILE_VARIABLE, variable } from "@textops/runtime";
import { z } from "zod";
import { channelVariables } from "./channels/channel-variables.js";

const milliseconds = (fallback: number) =>
  z.coerce.number().int().min(1).max(600_000).default(fallback);

/** Reads ingress's configuration from the environment, once, at start-up. */
export const loadConfig = configLoader({
  ...SERVICE_VARIABLES,
  port: variable("PORT", z.coerce.number().int().min(0).max(65_535).default(5048)),
  host: variable("HOST", z.string().default("0.0.0.0")),
  /** How long POST /dev/inbound waits for the orchestrator's answer after the broker confirmed. */
  replyTimeoutMs: variable("REPLY_TIMEOUT_MS", milliseconds(5000)),
  /** How long a publish may wait for the broker's confirm before the request gets a 503. */
  publishTimeoutMs: variable("PUBLISH_TIMEOUT_MS", milliseconds(2000)),
  /** The directory of people; unset and `config/users.yaml` absent, ingress runs open. */
  usersFile: USERS_FILE_VARIABLE,
  /** With a directory of people, `open` lets POST /dev/inbound take any sender, on purpose. */
  devChannel: variable("DEV_CHANNEL", z.enum(["open", "closed"]).default("closed")),
  ...channelVariables,
});

export type IngressConfig = ReturnType<typeof loadConfig>;

/** Every environment variable this service reads. */
export const ENV_VARIABLES = loadConfig.variables;
