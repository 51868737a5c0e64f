import { describe, expect, test } from "vitest";
import {
  RUN_TIMELINES,
  RunTimeline,
  RunTimelineDocument,
  RunTimelineFromDocument,
  type RunEvent,
} from "./index.js";

const at = "2026-11-26T12:00:00.000Z";

const events: RunEvent[] = [
  {
    runId: "K7Q2MX",
    seq: 1,
    type: "RunCreated",
    at,
    actor: "user:dev:user1",
    payload: {
      jobKey: "demo",
      catalogVersion: "0123456789ab",
      parameters: [{ name: "env", value: "staging" }],
    },
  },
  {
    runId: "K7Q2MX",
    seq: 2,
    type: "ApprovalRequested",
    at,
    actor: "system",
    payload: { policy: "DefaultRequireApproval", expiresAt: at },
  },
];

/** A run's document as the orchestrator stores it, its private fields included, keys shuffled. */
const storedDocument = {
  _id: "K7Q2MX",
  version: 3,
  outbox: [{ type: "OutboundMessage", messageId: "m" }],
  processed: [{ key: "dev:m1" }],
  approvalExpiresAt: at,
  updatedAt: at,
  attempt: 0,
  parameters: [{ name: "env", value: "staging" }],
  conversationId: "dev:user1",
  channelId: "dev",
  requestedByAddress: "dev:user1",
  createdAt: at,
  status: "AwaitingApproval",
  jobKey: "demo",
  runId: "K7Q2MX",
  events: [...events].reverse(),
};

describe("RunTimeline", () => {
  test("shows a stored run's summary and events, nothing of the writer's own, in a fixed order", () => {
    const timeline = RunTimelineFromDocument.parse(storedDocument);

    expect(JSON.stringify(timeline)).toBe(
      JSON.stringify({
        run: {
          runId: "K7Q2MX",
          jobKey: "demo",
          status: "AwaitingApproval",
          createdAt: at,
          requestedByAddress: "dev:user1",
          channelId: "dev",
          conversationId: "dev:user1",
          parameters: [{ name: "env", value: "staging" }],
          attempt: 0,
          updatedAt: at,
        },
        events,
      }),
    );
    expect(RunTimeline.parse(timeline)).toEqual(timeline);
  });

  test("refuses a document that is not a run", () => {
    const result = RunTimelineDocument.safeParse({ ...storedDocument, status: "Paused" });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["status"]);
  });

  test("the read model finds a run under its id and reads only the public fields", () => {
    expect(RUN_TIMELINES.collection).toBe("runs");
    expect(RUN_TIMELINES.byRunId("K7Q2MX")).toEqual({ _id: "K7Q2MX" });
    expect(RUN_TIMELINES.projection).toEqual({
      _id: 0,
      runId: 1,
      jobKey: 1,
      status: 1,
      createdAt: 1,
      requestedByAddress: 1,
      requestedBy: 1,
      approvers: 1,
      channelId: 1,
      conversationId: 1,
      parameters: 1,
      attempt: 1,
      updatedAt: 1,
      events: 1,
    });
  });
});
