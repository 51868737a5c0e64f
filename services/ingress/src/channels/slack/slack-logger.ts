import type { Logger as SlackSdkLogger } from "@slack/web-api";
import { LogLevel } from "@slack/web-api";
import { inspect } from "node:util";
import { pino, type Logger } from "pino";
import { withoutSecret } from "../without-secret.js";

/**
 * The Slack SDKs' logger (Bolt's and the WebClient's) on pino. Their debug
 * lines (request bodies and headers, whole events) are never written; what
 * they say at info and above is scrubbed of the secrets given.
 */
export function slackSdkLogger(
  log: Logger | undefined,
  secrets: readonly string[],
): SlackSdkLogger {
  const target = (log ?? pino({ level: "silent" })).child({ component: "slack-sdk" });
  const scrub = (text: string) =>
    secrets.reduce((out, secret) => withoutSecret(out, secret, "[secret]"), text);
  const line = (parts: unknown[]) =>
    scrub(
      parts
        .map((part) =>
          typeof part === "string"
            ? part
            : part instanceof Error
              ? part.message
              : inspect(part, { depth: 2, breakLength: Infinity }),
        )
        .join(" "),
    );
  let level = LogLevel.INFO;
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => target.info(line(parts)),
    warn: (...parts: unknown[]) => target.warn(line(parts)),
    error: (...parts: unknown[]) => target.error(line(parts)),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
