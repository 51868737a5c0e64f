import type { DeliveryReport, OutboundMessage } from "@textops/contracts";
import { PermanentError, RetryLaterError, errorMessage, type Handler } from "@textops/messaging";
import type { Logger } from "pino";
import {
  DeliveryDeferred,
  DeliveryRefused,
  type ChannelSender,
} from "../channels/channel-sender.js";
import type { DeliveryRecord, DeliveryRecords, DeliveryState } from "./delivery-records.js";

/** Tells the orchestrator what became of a message; it notes it on the run's timeline. */
export interface DeliveryReports {
  report(report: DeliveryReport, causationId: string): Promise<void>;
}

export interface DeliverDeps {
  sender: ChannelSender;
  records: DeliveryRecords;
  reports: DeliveryReports;
  clock: () => number;
  /**
   * A claim older than this was left by a delivery that died during the
   * provider call. Whether the provider took the message is unknown, and it
   * is not sent again: a key is delivered at most once.
   */
  staleClaimMs?: number;
}

/** How long a fresh claim of another delivery is waited for before trying again. */
const CLAIM_HELD_RETRY_MS = 5000;

type Outcome = {
  state: Exclude<DeliveryState, "sending">;
  copy?: { providerMessageIds: string[] };
  reason?: string;
};

/**
 * Delivers an OutboundMessage on one channel, at most once per idempotency
 * key: a record is claimed before the provider is called and settled after,
 * before the message is acknowledged. A refusal is recorded, reported and
 * dead-lettered; a deferral is tried again through the delay queues until the
 * attempts are used up, then reported and dead-lettered too.
 */
export function createDeliveryHandler(deps: DeliverDeps): Handler<"OutboundMessage"> {
  const { sender, records, reports, clock } = deps;
  const staleClaimMs = deps.staleClaimMs ?? 60_000;
  const now = () => new Date(clock()).toISOString();

  const report = async (message: OutboundMessage, outcome: Outcome, causationId: string) => {
    if (outcome.state === "skipped") return;
    await reports.report(
      {
        channelId: message.channelId,
        conversation: message.conversation,
        idempotencyKey: message.idempotencyKey,
        correlationId: message.correlationId,
        outcome: outcome.state === "refused" ? "not-delivered" : outcome.state,
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        ...(outcome.copy ? { providerMessageIds: outcome.copy.providerMessageIds } : {}),
        at: now(),
      },
      causationId,
    );
  };

  const settle = async (message: OutboundMessage, outcome: Outcome, causationId: string) => {
    await records.settle(message.idempotencyKey, outcome, now());
    await report(message, outcome, causationId);
  };

  async function deliver(message: OutboundMessage): Promise<Outcome> {
    if (message.replaces === undefined)
      return { state: "delivered", copy: await sender.send(message) };
    if (!sender.edit) {
      return { state: "skipped", reason: `${sender.channelId} cannot edit a sent message` };
    }
    const original = await records.find(message.replaces);
    if (original?.state !== "delivered") {
      return { state: "skipped", reason: "the message it replaces was not delivered" };
    }
    await sender.edit(message, { providerMessageIds: original.providerMessageIds });
    return { state: "edited" };
  }

  async function alreadyTaken(
    message: OutboundMessage,
    record: DeliveryRecord,
    causationId: string,
    log: Logger,
  ): Promise<void> {
    if (record.state !== "sending") {
      // Settled before; its report may not have gone out before a crash, so it goes again.
      log.info(
        { idempotencyKey: message.idempotencyKey, state: record.state },
        "delivered before; not sent again",
      );
      await report(
        message,
        {
          state: record.state,
          copy: { providerMessageIds: record.providerMessageIds },
          ...(record.reason === undefined ? {} : { reason: record.reason }),
        },
        causationId,
      );
      return;
    }
    if (clock() - Date.parse(record.claimedAt) < staleClaimMs) {
      throw new RetryLaterError(
        "another delivery of this message is in progress",
        CLAIM_HELD_RETRY_MS,
      );
    }
    const reason = "delivery was interrupted during the provider call; not sent again";
    log.warn({ idempotencyKey: message.idempotencyKey }, reason);
    await settle(message, { state: "refused", reason }, causationId);
  }

  /**
   * A local channel's message: the sender stores it at most once by its key,
   * so there is no record to keep; only a message that never arrives is
   * reported. A local channel edits nothing.
   */
  async function deliverLocally(
    message: OutboundMessage,
    causationId: string,
    tries: { attempt: number; maxAttempts?: number | undefined },
    log: Logger,
  ): Promise<void> {
    if (message.replaces !== undefined) {
      logOutcome(message, { state: "skipped", reason: `${sender.channelId} edits nothing` }, log);
      return;
    }
    try {
      await sender.send(message);
    } catch (error) {
      const reason = finalReason(error, tries);
      if (reason === undefined) throw retryable(error);
      await report(message, { state: "refused", reason }, causationId);
      throw new PermanentError(reason);
    }
    logOutcome(message, { state: "delivered" }, log);
  }

  return async ({ payload: message, envelope, attempt, maxAttempts }, log) => {
    if (message.channelId !== sender.channelId) {
      throw new PermanentError(
        `an outbound message for channel ${message.channelId} on the ${sender.channelId} queue`,
      );
    }
    const causationId = envelope.messageId;
    if (sender.local) {
      await deliverLocally(message, causationId, { attempt, maxAttempts }, log);
      return;
    }
    const claim = await records.claim(
      {
        idempotencyKey: message.idempotencyKey,
        channelId: message.channelId,
        conversation: message.conversation,
        correlationId: message.correlationId,
      },
      now(),
    );
    if (claim.kind === "taken") {
      await alreadyTaken(message, claim.record, causationId, log);
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await deliver(message);
    } catch (error) {
      const reason = finalReason(error, { attempt, maxAttempts });
      if (reason === undefined) {
        await records.release(message.idempotencyKey);
        throw retryable(error);
      }
      if (error instanceof DeliveryRefused) {
        log.warn(
          { idempotencyKey: message.idempotencyKey, reason },
          "the channel refused the message",
        );
      }
      await settle(message, { state: "refused", reason }, causationId);
      throw new PermanentError(reason);
    }
    await settle(message, outcome, causationId);
    logOutcome(message, outcome, log);
  };
}

/**
 * Why a failed delivery is over for good: the channel refused the message,
 * or its last attempt failed; undefined while it may be tried again.
 */
function finalReason(
  error: unknown,
  tries: { attempt: number; maxAttempts?: number | undefined },
): string | undefined {
  if (error instanceof DeliveryRefused) return error.reason;
  const { attempt, maxAttempts } = tries;
  if (maxAttempts !== undefined && attempt >= maxAttempts) {
    return `gave up after ${attempt} attempts: ${errorMessage(error)}`;
  }
  return undefined;
}

/** A failure to try again, as the consumer's delayed retry takes it (a deferral names its delay). */
function retryable(error: unknown): unknown {
  return error instanceof DeliveryDeferred
    ? new RetryLaterError(error.message, error.retryAfterMs ?? 0, { cause: error })
    : error;
}

function logOutcome(message: OutboundMessage, outcome: Outcome, log: Logger): void {
  if (outcome.state === "skipped") {
    log.debug(
      { idempotencyKey: message.idempotencyKey, reason: outcome.reason },
      "nothing to send",
    );
    return;
  }
  const fields = {
    idempotencyKey: message.idempotencyKey,
    conversation: message.conversation,
    state: outcome.state,
  };
  // The dev channel's log is its display, as in the seed; real channels' texts stay out of logs.
  if (message.channelId === "dev")
    log.info(fields, `OUTBOUND (dev) → ${message.conversation}: ${message.body}`);
  else log.info(fields, `outbound message ${outcome.state}`);
}
