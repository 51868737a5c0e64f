import express, { type Express } from "express";
import type { Logger } from "pino";
import { devConversationsRoute } from "./adapters/http/dev-conversations.route.js";
import { devInboundRoute } from "./adapters/http/dev-inbound.route.js";
import { errorHandler, notFound } from "./adapters/http/errors.js";
import { healthRoute } from "./adapters/http/health.route.js";
import { correlation, requestLogging } from "./adapters/http/request-context.js";
import { runLogsRoute } from "./adapters/http/run-logs.route.js";
import { runsRoute } from "./adapters/http/runs.route.js";
import type {
  DevConversationReader,
  InboundGateway,
  ReadinessCheck,
  RunOutputReader,
  RunReader,
} from "./ports.js";

export interface AppDeps {
  runs: RunReader;
  /** Serves `GET /runs/:runId/logs`; apps built for other routes' tests may leave it out. */
  runOutput?: RunOutputReader;
  devMessages: DevConversationReader;
  inbound: InboundGateway;
  ready: ReadinessCheck;
  log: Logger;
  /** Largest JSON body accepted (bytes, or a string such as "64kb"); a bigger one is a 413. */
  bodyLimit?: number | string;
  clock?: () => number;
}

/** The HTTP API of ingress. It holds no business rules: it validates, translates and reads. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(correlation());
  app.use(requestLogging(deps.log));
  app.use(express.json({ limit: deps.bodyLimit ?? "64kb" }));
  app.use(healthRoute(deps.ready));
  app.use(devInboundRoute(deps.inbound, deps.clock ?? Date.now));
  app.use(runsRoute(deps.runs));
  if (deps.runOutput) app.use(runLogsRoute(deps.runs, deps.runOutput));
  app.use(devConversationsRoute(deps.devMessages));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
