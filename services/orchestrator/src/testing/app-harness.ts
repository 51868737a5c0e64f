import { randomUUID } from "node:crypto";
import type {
  MessageType,
  OrchestratorReply,
  OutboundMessage,
  PayloadOf,
} from "@textops/contracts";
import { newEnvelope, signDispatch, type Delivery } from "@textops/messaging";
import { pino } from "pino";
import {
  createOrchestratorApp,
  type AppResources,
  type InputType,
} from "../app/orchestrator-app.js";
import {
  inMemoryInboxStore,
  inMemoryRunOutput,
  inMemoryRunStore,
  recordingPublisher,
  type InMemoryInboxStore,
  type InMemoryRunStore,
  type RecordingPublisher,
} from "./in-memory-ports.js";
import { inMemoryJobSlots, type InMemoryJobSlots } from "./in-memory-job-slots.js";
import { inMemoryIdentities, type InMemoryIdentities } from "./in-memory-identities.js";
import type { Identities } from "../app/ports.js";
import { T0 } from "./run-builder.js";
import { shippedCatalog, TEST_DISPATCH_SECRET } from "./test-catalog.js";
import type { JobCatalog } from "../domain/catalog/index.js";
import { peopleDirectoryOf } from "../app/people-directory.js";
import type { Directory } from "@textops/runtime";

export interface AppHarnessOptions {
  /** Run ids handed out in this order (then numbered ones). */
  runIds?: string[];
  approvalTtlSeconds?: number;
  outboxAgeMs?: number;
  /** 60 s unless given. */
  dispatchWaitMs?: number;
  /** The shipped catalog (config/jobs.yaml) unless given. */
  catalog?: JobCatalog;
  output?: AppResources["output"];
  /** Wraps the in-memory stores, to interrupt or count a step. */
  runs?: (store: InMemoryRunStore) => AppResources["runs"];
  inbox?: (store: InMemoryInboxStore) => AppResources["inbox"];
  slots?: (store: InMemoryJobSlots) => AppResources["slots"];
  /** A directory of people (closed mode); open mode unless given. */
  directory?: Directory;
  /** Wraps the in-memory identities (closed mode), to interrupt or count a step. */
  identities?: (store: InMemoryIdentities) => Identities;
}

/**
 * The orchestrator's real app layer on in-memory ports, with a clock held
 * still until a test moves it: the model for fast tests of the app layer.
 */
export function anApp(options: AppHarnessOptions = {}) {
  const runs = inMemoryRunStore();
  const inbox = inMemoryInboxStore();
  const slots = inMemoryJobSlots();
  const publisher = recordingPublisher();
  const identities = inMemoryIdentities();
  const ids = [...(options.runIds ?? [])];
  let issued = 0;
  const clock = { now: T0 };
  const log = pino({ level: "silent" });
  const app = createOrchestratorApp({
    runs: options.runs?.(runs) ?? runs,
    inbox: options.inbox?.(inbox) ?? inbox,
    slots: options.slots?.(slots) ?? slots,
    publisher,
    signDispatch: (dispatch) => signDispatch(dispatch, TEST_DISPATCH_SECRET),
    catalog: options.catalog ?? shippedCatalog(),
    output: options.output ?? inMemoryRunOutput(),
    clock: () => clock.now,
    newRunId: () => ids.shift() ?? `RUN${String((issued += 1)).padStart(3, "0")}`,
    log,
    approvalTtlSeconds: options.approvalTtlSeconds ?? 3600,
    outboxAgeMs: options.outboxAgeMs ?? 0,
    dispatchWaitMs: options.dispatchWaitMs ?? 60_000,
    ...(options.directory
      ? {
          directory: peopleDirectoryOf(
            options.directory,
            options.identities?.(identities) ?? identities,
            TEST_DISPATCH_SECRET,
          ),
        }
      : {}),
  });

  function deliver<K extends InputType>(
    type: K,
    payload: PayloadOf<K>,
    fields: { messageId?: string; replyTo?: string } = {},
  ) {
    const envelope = newEnvelope(type, {
      correlationId: randomUUID(),
      messageId: fields.messageId,
    });
    const delivery = {
      type,
      payload,
      envelope,
      replyTo: fields.replyTo,
      previousDeliveries: 0,
      attempt: 1,
      maxAttempts: undefined,
    };
    const handler = app.handlers[type] as (d: Delivery<K>, l: typeof log) => Promise<void>;
    return handler(delivery, log);
  }

  return {
    app,
    runs,
    inbox,
    slots,
    publisher,
    identities,
    clock,
    deliver,
    /** Hands in a text from `<channel>:<from>` (dev:user1 unless given) as ingress would, waiting for an answer on reply-to. */
    text(
      body: string,
      options: {
        providerMessageId?: string;
        messageId?: string;
        from?: string;
        channelId?: string;
      } = {},
    ) {
      const from = options.from ?? "user1";
      const message = {
        channelId: options.channelId ?? "dev",
        providerMessageId: options.providerMessageId ?? randomUUID(),
        from,
        conversation: from,
        body,
        receivedAt: new Date(clock.now).toISOString(),
      };
      const fields = { replyTo: "amq.rabbitmq.reply-to", messageId: options.messageId };
      return deliver("InboundMessage", message, fields);
    },
    /** The answers ingress was sent, oldest first. */
    answers: () => payloadsOf<"OrchestratorReply">(publisher, "OrchestratorReply"),
    /** The notices published, oldest first, edits of earlier ones included. */
    notices: () => payloadsOf<"OutboundMessage">(publisher, "OutboundMessage"),
    /** The edits published (notices that replace an earlier one), oldest first. */
    edits: () => payloadsOf<"OutboundMessage">(publisher, "OutboundMessage").filter(isEdit),
    lastAnswer(): OrchestratorReply {
      const answer = payloadsOf<"OrchestratorReply">(publisher, "OrchestratorReply").at(-1);
      if (!answer) throw new Error("nobody was answered");
      return answer;
    },
    /**
     * The texts published, oldest first, as a person on the dev channel reads
     * them: the dev channel cannot edit a text it showed, so edits are not
     * among them (see `edits`).
     */
    bodies: () =>
      payloadsOf<"OutboundMessage">(publisher, "OutboundMessage").filter(isText).map(bodyOf),
    /** The texts published to one conversation (`dev:bob`), oldest first, edits left out as by `bodies`. */
    to: (conversation: string) =>
      payloadsOf<"OutboundMessage">(publisher, "OutboundMessage")
        .filter((n) => isText(n) && n.conversation === conversation)
        .map(bodyOf),
  };
}

const bodyOf = (notice: OutboundMessage) => notice.body;
const isEdit = (notice: OutboundMessage) => notice.replaces !== undefined;
const isText = (notice: OutboundMessage) => !isEdit(notice);

function payloadsOf<K extends MessageType>(publisher: RecordingPublisher, type: K) {
  return publisher.published.filter((p) => p.type === type).map((p) => p.payload as PayloadOf<K>);
}

export type AppHarness = ReturnType<typeof anApp>;
