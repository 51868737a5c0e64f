import {
  isNoticeEvent,
  showParameters,
  type JobDefinition,
  type OutboundMessage,
  type ReplyAction,
  type RunEvent,
  type RunStatus,
} from "@textops/contracts";
import { describeParameter, usageOf } from "./catalog/describe-job.js";
import type { Run } from "./stored-run.js";

/*
 * Notices: the texts the orchestrator sends to a conversation (OutboundMessage
 * on the wire). What it tells ingress about a message it took in is its
 * answer (answers.ts), never a notice.
 */

/** Where a text goes: a channel and a conversation on it. */
export interface Destination {
  channelId: string;
  conversation: string;
}

export function runDestination(run: Run): Destination {
  return { channelId: run.channelId, conversation: run.conversationId };
}

/** A text to one conversation, delivered at most once per idempotency key. */
export function notice(
  to: Destination,
  body: string,
  correlationId: string,
  idempotencyKey: string,
  extra: Pick<OutboundMessage, "actions" | "replaces"> = {},
): OutboundMessage {
  return {
    channelId: to.channelId,
    conversation: to.conversation,
    body,
    correlationId,
    idempotencyKey,
    ...(extra.actions === undefined ? {} : { actions: extra.actions }),
    ...(extra.replaces === undefined ? {} : { replaces: extra.replaces }),
  };
}

/**
 * The buttons under an approval request: each stands for the reply the text
 * names. Where the approver must give a confirm code, Approve asks for it
 * (a channel that cannot ask shows only Deny).
 */
export function approvalActions(runId: string, codeTyped: boolean): ReplyAction[] {
  const deny = { label: "Deny", reply: `no ${runId}` };
  const approve = codeTyped
    ? { label: "Approve…", reply: `yes ${runId}`, asks: CONFIRM_CODE_LABEL }
    : { label: "Approve", reply: `yes ${runId}` };
  return [approve, deny];
}

/** What an Approve button that asks for the code calls it. */
export const CONFIRM_CODE_LABEL = "Confirm code";

const STATUS_PHRASE: Record<RunStatus, string> = {
  Created: "is being created",
  AwaitingApproval: "is awaiting approval",
  Dispatching: "is already approved and starting",
  Running: "is already running",
  Succeeded: "already succeeded",
  Failed: "already failed",
  Denied: "was denied",
  Expired: "has expired",
  Cancelled: "was cancelled",
  TimedOut: "timed out",
};

export const texts = {
  approvalRequest: (run: Pick<Run, "runId" | "jobKey" | "parameters">) => {
    const shown = run.parameters.length === 0 ? "" : ` (${showParameters(run.parameters)})`;
    return `Job "${run.jobKey}"${shown} is ready. Reply YES ${run.runId} to approve or NO ${run.runId} to deny.`;
  },
  unknownJob: (jobKey: string) => `Unknown job "${jobKey}". Send JOBS for the list.`,
  parametersRefused: (jobKey: string, reasons: readonly string[]) =>
    `Job "${jobKey}" was not run: ${reasons.join("; ")}. Send HELP ${jobKey.toUpperCase()} for its parameters.`,
  jobList: (jobs: ReadonlyMap<string, Pick<JobDefinition, "description">>) => {
    const lines = [...jobs].map(([key, job]) => `${key}: ${job.description}`);
    return ["Jobs:", ...lines, "Send HELP <job> for one job's parameters."].join("\n");
  },
  jobHelp: (jobKey: string, job: Pick<JobDefinition, "description" | "parameters">) => {
    const parameters = Object.entries(job.parameters).map(([name, p]) =>
      describeParameter(name, p),
    );
    const listed =
      parameters.length === 0 ? "No parameters." : `Parameters: ${parameters.join(" · ")}.`;
    return `Job "${jobKey}": ${job.description}. ${listed} Usage: ${usageOf(jobKey, job)}`;
  },
  approved: (run: Run) => `Approved. Starting run ${run.runId} for job "${run.jobKey}"…`,
  waitingForSlot: (run: Run, limit: number) =>
    `Approved. Run ${run.runId} waits for a free slot: ${atMost(run.jobKey, limit)}.`,
  admitted: (run: Run) => `Run ${run.runId} is starting: a slot of job "${run.jobKey}" is free.`,
  unclaimed: (run: Run, pool: string, seconds: number) =>
    `Run ${run.runId} is still waiting: no worker of pool "${pool}" has picked it up in ${seconds} s.`,
  denied: (run: Run) => `Denied. Run ${run.runId} for job "${run.jobKey}" will not run.`,
  cancelled: (run: Run) => `Cancelled run ${run.runId} for job "${run.jobKey}".`,
  succeeded: (run: Run, summary: string) => `Run ${run.runId} succeeded: ${summary}`,
  failed: (run: Run, summary: string) => `Run ${run.runId} failed${failure(summary)}`,
  retrying: (run: Run, summary: string, delayMs: number, attempt: number) =>
    `Run ${run.runId} attempt ${attempt - 1} failed: ${summary}. Trying again in ${Math.ceil(delayMs / 1000)} s (attempt ${attempt} of ${run.maxAttempts}).`,
  expired: (run: Run) =>
    `Run ${run.runId} for job "${run.jobKey}" expired: nobody approved it in time.`,
  timedOut: (run: Run, seconds: number) =>
    `Run ${run.runId} for job "${run.jobKey}" timed out: no sign of life from its worker for ${seconds} s.`,
  rejected: (run: Run, verb: string) =>
    `Run ${run.runId} ${run.waitingForSlot ? "is already approved and waits for a free slot" : STATUS_PHRASE[run.status]}; nothing to ${verb}.`,
  notFound: (runId: string) => `Run ${runId} not found.`,
  noOutput: (run: Run) => `Run ${run.runId} (job "${run.jobKey}") has no output yet.`,
  logs: (run: Run, attempt: number, lines: string) =>
    `Run ${run.runId} attempt ${attempt}, last lines:\n${lines}`,
  help: () =>
    "Commands: run <job> [key=value …] · yes [<id>] · no [<id>] · status <id> · cancel <id> · logs <id> · jobs · help <job> · pending · runs · whoami · link [<code>] · help",
  unknown: (reason: string) =>
    `Sorry, I did not understand that (${reason}). Send HELP for the commands.`,
  status: (run: Run) => {
    // What became of its notices says nothing of where the run stands.
    const states = run.events.filter((event) => !isNoticeEvent(event));
    const latest = states.slice(-3).map(describeEvent).join("; ");
    const limit = run.job.concurrency;
    const waiting =
      run.waitingForSlot && limit !== undefined
        ? `, waiting for a free slot (${atMost(run.jobKey, limit)})`
        : "";
    return `Run ${run.runId} (job "${run.jobKey}") is ${run.status}${waiting}. Latest: ${latest}.`;
  },
};

/**
 * The line each copy of an approval request ends with once the run moved on
 * (the copy keeps its text above it). `by` is a person's name, or in open
 * mode the address that decided; `at` the time of the event that moved it.
 */
export const requestTexts = {
  progress: (by: string, count: number, required: number) =>
    `Approved by ${by} (${count} of ${required}).`,
  outcome: ({ tag, by, at }: RequestOutcome) => {
    switch (tag) {
      case "approved":
        return `Approved by ${listed(by)} at ${utc(at)}.`;
      case "denied":
        return `Denied by ${listed(by)} at ${utc(at)}.`;
      case "expired":
        return `Expired at ${utc(at)}: nobody decided in time.`;
      case "cancelled":
        return `Cancelled by ${listed(by)} at ${utc(at)}.`;
    }
  },
  /** The answer to an approval or denial that came after the decision. */
  tooLate: (
    run: Pick<Run, "runId" | "waitingForSlot">,
    { tag, by, at }: RequestOutcome,
    verb: string,
  ) => {
    const when = `at ${utc(at)}`;
    const what =
      tag === "expired" ? `already expired ${when}` : `was already ${tag} by ${listed(by)} ${when}`;
    const waits = tag === "approved" && run.waitingForSlot ? " and waits for a free slot" : "";
    return `Run ${run.runId} ${what}${waits}; nothing to ${verb}.`;
  },
};

/** How the wait for approval ended: approved, denied, expired or cancelled, by whom (names as copies show them) and when. */
export interface RequestOutcome {
  tag: "approved" | "denied" | "expired" | "cancelled";
  by: string[];
  at: string;
}

/** `2026-11-26T14:02:31.000Z` reads `14:02 UTC`. */
const utc = (at: string) => `${at.slice(11, 16)} UTC`;

/** `Bob`, `Bob and Carol`, `Bob, Carol and Dave`. */
export function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/**
 * `exit 3: database is locked` (a shell job) or `HTTP 503: busy` (an HTTP
 * job) reads `(exit 3): database is locked`; any other summary `: <summary>`.
 */
function failure(summary: string): string {
  const coded = /^(exit \d+|HTTP \d{3})(?:: (.*))?$/su.exec(summary);
  if (!coded) return `: ${summary}`;
  const [, code, reason] = coded;
  return reason === undefined ? ` (${code ?? ""})` : ` (${code ?? ""}): ${reason}`;
}

const atMost = (jobKey: string, limit: number) => `job "${jobKey}" runs at most ${limit} at once`;

function describeEvent(event: RunEvent): string {
  const time = event.at.slice(11, 19);
  return `${time} ${event.type}`;
}
