import { loadDirectory, runService } from "@textops/runtime";
import { listen } from "./adapters/http/http-server.js";
import { loadConfig } from "./config.js";
import { startIngress } from "./ingress.js";

runService({
  name: "ingress",
  // A bad directory of people stops the service like a bad variable: every error on standard error, exit 1.
  loadConfig: (env) => ({ ...loadConfig(env), people: loadDirectory(env) }),
  redact: [
    "req.headers.authorization",
    'req.headers["x-twilio-signature"]',
    'req.headers["x-telegram-bot-api-secret-token"]',
    'req.headers["x-slack-signature"]',
  ],
  async start({ config, db, connection, log, onClose }) {
    const { replyTimeoutMs, publishTimeoutMs, people, devChannel } = config;
    const ingress = await startIngress({
      db,
      connection,
      log,
      replyTimeoutMs,
      publishTimeoutMs,
      people,
      devChannel,
      channels: config,
    });
    onClose(() => ingress.stop());
    const server = await listen(ingress.app, config, log);
    return { stop: () => server.close() };
  },
});
