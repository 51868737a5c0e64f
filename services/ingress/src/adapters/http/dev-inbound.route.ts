import { randomUUID } from "node:crypto";
import type { OrchestratorReply } from "@textops/contracts";
import { Router, type Request, type Response } from "express";
import {
  DevInboundRequest,
  devConversationId,
  issuesOf,
  toInboundMessage,
} from "../../domain/dev-inbound.js";
import { BrokerUnavailable, type InboundGateway } from "../../ports.js";
import { devChannelClosed, invalidRequest } from "./errors.js";
import { annotate, correlationIdOf } from "./request-context.js";

/** The seed's answer: what the orchestrator decided and the texts it sends back. */
function replyView(reply: OrchestratorReply) {
  return {
    intentType: reply.intentType,
    jobKey: reply.jobKey,
    runId: reply.runId,
    dispatchedExecution: reply.dispatchedExecution,
    outbound: reply.outbound.map((m) => ({
      body: m.body,
      correlationId: m.correlationId,
      idempotencyKey: m.idempotencyKey,
      channelId: m.channelId,
      conversation: m.conversation,
    })),
  };
}

function accepted(res: Response, messageId: string, conversation: string) {
  const messages = `/dev/conversations/${encodeURIComponent(devConversationId(conversation))}/messages`;
  res.status(202).json({
    messageId,
    status: "accepted",
    detail: `The message is queued; the orchestrator has not answered yet. Its replies will appear at GET ${messages}.`,
  });
}

function brokerUnavailable(res: Response) {
  res.status(503).set("Retry-After", "5").json({
    error: "message broker unavailable",
    detail:
      "The message could not be handed on. Try again; with the same providerMessageId a repeat has no effect.",
  });
}

/**
 * `POST /dev/inbound`: validates the text, hands it to the orchestrator and
 * answers with its reply (200), or 202 when the reply did not come in time
 * (the message is queued; replies arrive in the conversation), or 503 when
 * the broker did not take the message.
 */
export function devInboundRoute(inbound: InboundGateway, clock: () => number): Router {
  return Router().post("/dev/inbound", async (req: Request, res: Response) => {
    const parsed = DevInboundRequest.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json(invalidRequest(issuesOf(parsed.error)));
      return;
    }
    const message = toInboundMessage(parsed.data, {
      providerMessageId: randomUUID(),
      receivedAt: new Date(clock()).toISOString(),
    });
    const messageId = randomUUID();
    const log = annotate(req, res, { messageId, providerMessageId: message.providerMessageId });
    let outcome: OrchestratorReply | "timeout";
    try {
      outcome = await inbound.send(message, { correlationId: correlationIdOf(res), messageId });
    } catch (error) {
      if (!(error instanceof BrokerUnavailable)) throw error;
      log.warn({ reason: error.message }, "message broker unavailable; inbound message refused");
      brokerUnavailable(res);
      return;
    }
    if (outcome === "timeout") {
      accepted(res, messageId, message.conversation);
      return;
    }
    if (outcome.runId) annotate(req, res, { runId: outcome.runId });
    res.status(200).json(replyView(outcome));
  });
}

/**
 * `POST /dev/inbound` while a directory of people is in use and DEV_CHANNEL
 * is not open: a 403, whatever the body, and nothing is published.
 */
export function devInboundClosedRoute(): Router {
  return Router().post("/dev/inbound", (_req, res) => {
    res.status(403).json(devChannelClosed());
  });
}
