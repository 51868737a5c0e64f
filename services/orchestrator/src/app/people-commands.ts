import type { ParsedIntent } from "@textops/contracts";
import { texts } from "../domain/notices.js";
import { peopleTexts } from "../domain/people-notices.js";
import type { Person } from "../domain/requester.js";
import { applyRunCommand } from "./apply-run-command.js";
import { noticeOnly, type Applying, type Outcome } from "./inbound-outcome.js";
import type { Hold } from "./keyed-lock.js";
import { confirmLink, issueLink } from "./link-commands.js";
import type { PeopleDirectory } from "./people-directory.js";
import type { InboxEntry, InboxStore } from "./ports.js";
import type { RunCommandDeps } from "./run-commands.js";

/** The lines `pending` and `runs` show at most. */
export const PEOPLE_LIST_LINES = 5;

export type PeopleIntent = Extract<
  ParsedIntent,
  { type: "WhoAmI" | "Pending" | "MyRuns" | "DecidePending" | "Link" | "LinkConfirm" }
>;

export interface PeopleCommandDeps extends RunCommandDeps {
  inbox: InboxStore;
  /** Absent in open mode, where these commands have nothing to answer from. */
  directory?: PeopleDirectory;
}

/** What a person asks of their own: who they are, what waits for them, their runs, links. */
export function applyPeopleCommand(
  deps: PeopleCommandDeps,
  entry: InboxEntry,
  intent: PeopleIntent,
  applying: Applying,
  hold: Hold,
): Promise<Outcome> {
  const { directory } = deps;
  if (directory === undefined) return Promise.resolve(inOpenMode(intent, applying));
  // From an address nobody holds yet, too: that is the address being linked.
  if (intent.type === "LinkConfirm") return confirmLink(directory, intent, applying);
  const { person } = applying.requester;
  if (person === undefined) {
    // Unreachable: of an unknown sender's commands only `link <code>` is taken (inbound.handler.ts).
    const body = peopleTexts.unknownSender();
    return Promise.resolve(
      noticeOnly(applying, intent, body, `unknown-sender:${applying.processedKey}`),
    );
  }
  switch (intent.type) {
    case "WhoAmI":
      return whoAmI(directory, intent, applying, person);
    case "Pending":
      return pending(deps, directory, intent, applying, person);
    case "MyRuns":
      return myRuns(deps, intent, applying, person);
    case "DecidePending":
      return decidePending(deps, entry, intent, applying, person, hold);
    case "Link":
      return issueLink(directory, intent, applying, person);
  }
}

/** Without a directory: a bare yes or no answers as it always did, the rest that they need one. */
function inOpenMode(intent: PeopleIntent, applying: Applying): Outcome {
  const key = applying.processedKey;
  if (intent.type !== "DecidePending") {
    return noticeOnly(applying, intent, peopleTexts.needsDirectory(), `needs-directory:${key}`);
  }
  const usage =
    intent.decision === "approve" ? "usage: yes <runId> [<confirm code>]" : "usage: no <runId>";
  return noticeOnly(applying, intent, texts.unknown(usage), `unknown:${key}`);
}

async function whoAmI(
  directory: PeopleDirectory,
  intent: PeopleIntent,
  applying: Applying,
  person: Person,
): Promise<Outcome> {
  const addresses = await directory.addressesOf(person.id);
  const body = peopleTexts.whoAmI(person, addresses);
  return noticeOnly(applying, intent, body, `whoami:${applying.processedKey}`);
}

async function pending(
  deps: PeopleCommandDeps,
  directory: PeopleDirectory,
  intent: PeopleIntent,
  applying: Applying,
  person: Person,
): Promise<Outcome> {
  const waiting = await deps.runs.waitingForDecisionOf(person.id, PEOPLE_LIST_LINES);
  const { names } = directory.context.roster;
  const lines = waiting.map((run) => {
    const requester =
      run.requestedBy === undefined ? "?" : (names.get(run.requestedBy) ?? run.requestedBy);
    return peopleTexts.pendingLine(run, requester, applying.now - Date.parse(run.createdAt));
  });
  const body = lines.length === 0 ? peopleTexts.nothingWaits() : lines.join("\n");
  return noticeOnly(applying, intent, body, `pending:${applying.processedKey}`);
}

async function myRuns(
  deps: PeopleCommandDeps,
  intent: PeopleIntent,
  applying: Applying,
  person: Person,
): Promise<Outcome> {
  const latest = await deps.runs.latestRequestedBy(person.id, PEOPLE_LIST_LINES);
  const body =
    latest.length === 0 ? peopleTexts.noRuns() : latest.map(peopleTexts.runLine).join("\n");
  return noticeOnly(applying, intent, body, `runs:${applying.processedKey}`);
}

/**
 * A bare yes or no: the one run waiting for this person's decision (as
 * `pending` finds it), decided exactly as `yes <id>` or `no <id>` would be,
 * under that run's lock, taken once the run is known (keyed-lock.ts). The
 * run chosen is kept in the message's inbox entry before it is decided, so
 * a redelivery decides the same run, which then holds its answer.
 */
async function decidePending(
  deps: PeopleCommandDeps,
  entry: InboxEntry,
  intent: Extract<PeopleIntent, { type: "DecidePending" }>,
  applying: Applying,
  person: Person,
  hold: Hold,
): Promise<Outcome> {
  const decide = (runId: string, chosen: boolean) =>
    hold(runId, async () => {
      if (!chosen) await deps.inbox.setRunId(entry, runId);
      const type = intent.decision === "approve" ? "ApproveRun" : "DenyRun";
      return applyRunCommand(deps, applying, { type, runId });
    });
  if (entry.runId !== null) return decide(entry.runId, true);
  const waiting = await deps.runs.waitingForDecisionOf(person.id, PEOPLE_LIST_LINES);
  const [only, ...more] = waiting;
  const key = applying.processedKey;
  if (only === undefined) {
    return noticeOnly(applying, intent, peopleTexts.nothingWaits(), `nothing-waits:${key}`);
  }
  if (more.length > 0) {
    const keyword = intent.decision === "approve" ? "YES" : "NO";
    const body = peopleTexts.severalWait(
      waiting.map((run) => run.runId),
      keyword,
    );
    return noticeOnly(applying, intent, body, `several-wait:${key}`);
  }
  return decide(only.runId, false);
}
