import { runService } from "@textops/runtime";
import { listen } from "./adapters/http/http-server.js";
import { loadConfig } from "./config.js";
import { startIngress } from "./ingress.js";

runService({
  name: "ingress",
  loadConfig,
  redact: ["req.headers.authorization"],
  async start({ config, db, connection, log, onClose }) {
    const { replyTimeoutMs, publishTimeoutMs } = config;
    const ingress = await startIngress({ db, connection, log, replyTimeoutMs, publishTimeoutMs });
    onClose(() => ingress.stop());
    const server = await listen(ingress.app, config, log);
    return { stop: () => server.close() };
  },
});
