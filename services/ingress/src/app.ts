import express, { type Express, type Router } from "express";
import type { Logger } from "pino";
import { devConversationsRoute } from "./adapters/http/dev-conversations.route.js";
import { readerAuth } from "./adapters/http/bearer-auth.js";
import { devInboundClosedRoute, devInboundRoute } from "./adapters/http/dev-inbound.route.js";
import { errorHandler, notFound } from "./adapters/http/errors.js";
import { healthRoute } from "./adapters/http/health.route.js";
import { correlation, requestLogging } from "./adapters/http/request-context.js";
import { runLogsRoute } from "./adapters/http/run-logs.route.js";
import { runsRoute } from "./adapters/http/runs.route.js";
import type {
  DevChannel,
  DevConversationReader,
  InboundGateway,
  People,
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
  /** Open mode: anyone reads and speaks. Closed: reads need a bearer token of a person. */
  people: People;
  /** In closed mode, whether POST /dev/inbound is open anyway; closed unless given. */
  devChannel?: DevChannel;
  /** The providers' webhooks (Twilio, Telegram): each checks its own signature and reads its own body. */
  channelRoutes?: Router[];
  log: Logger;
  /** Largest JSON body accepted (bytes, or a string such as "64kb"); a bigger one is a 413. */
  bodyLimit?: number | string;
  clock?: () => number;
}

/** The HTTP API of ingress. It holds no business rules: it validates, translates and reads. */
export function createApp(deps: AppDeps): Express {
  const devInboundOpen = deps.people.mode === "open" || deps.devChannel === "open";
  const auth = readerAuth(deps.people);
  const app = express();
  app.disable("x-powered-by");
  app.use(correlation());
  app.use(requestLogging(deps.log));
  // Refused before its body is read: a malformed one is no reason for a 400 instead.
  if (!devInboundOpen) app.use(devInboundClosedRoute());
  // Before the JSON parser: a webhook's signature or secret is checked before its body is read.
  for (const routes of deps.channelRoutes ?? []) app.use(routes);
  app.use(express.json({ limit: deps.bodyLimit ?? "64kb" }));
  app.use(healthRoute(deps.ready));
  if (devInboundOpen) app.use(devInboundRoute(deps.inbound, deps.clock ?? Date.now));
  app.use(runsRoute(deps.runs, auth));
  if (deps.runOutput) app.use(runLogsRoute(deps.runs, deps.runOutput, auth));
  app.use(devConversationsRoute(deps.devMessages, auth));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
