import { Router } from "express";
import type { ReadinessCheck } from "../../ports.js";

const state = (ok: boolean) => (ok ? "ok" : "unavailable");

/** `GET /healthz`: the process answers. `GET /readyz`: RabbitMQ and MongoDB answer too. */
export function healthRoute(ready: ReadinessCheck): Router {
  return Router()
    .get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    })
    .get("/readyz", async (_req, res) => {
      const readiness = await ready();
      const isReady = readiness.broker && readiness.mongo;
      res.status(isReady ? 200 : 503).json({
        status: isReady ? "ready" : "not ready",
        checks: { broker: state(readiness.broker), mongo: state(readiness.mongo) },
      });
    });
}
