import { JobKey, RunId } from "@textops/contracts";
import type { JobParameter, ParsedIntent } from "@textops/contracts";
import { asciiLower, asciiUpper, fail, ok, readValue, show, tokenize } from "./tokenize.js";
import type { Result } from "./tokenize.js";
import { CONFIRM_CODE_ALPHABET, CONFIRM_CODE_LENGTH } from "./policy/confirm-code.js";

export const MAX_MESSAGE_LENGTH = 1000;
export const MAX_PARAMETERS = 20;
export const MAX_VALUE_LENGTH = 1000;

const PARAMETER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const RUN_USAGE = "usage: run <job> [key=value …]";

type RunIdIntent = Extract<ParsedIntent, { runId: string }>["type"];

/** The keywords that take exactly one run id, and what they mean. */
const RUN_ID_KEYWORDS: ReadonlyMap<string, RunIdIntent> = new Map([
  ["yes", "ApproveRun"],
  ["approve", "ApproveRun"],
  ["no", "DenyRun"],
  ["deny", "DenyRun"],
  ["status", "StatusQuery"],
  ["cancel", "CancelRun"],
  ["logs", "RunLogs"],
]);

/** The keywords that, alone, decide the single run waiting for the sender (DESIGN.md, Commands). */
const BARE_DECISIONS: ReadonlyMap<string, "approve" | "deny"> = new Map([
  ["yes", "approve"],
  ["no", "deny"],
]);

type NoArgumentIntent = Extract<
  ParsedIntent,
  { type: "ListJobs" | "WhoAmI" | "Pending" | "MyRuns" }
>;

/** The keywords that take nothing after them, and what they mean. */
const NO_ARGUMENT_KEYWORDS: ReadonlyMap<string, NoArgumentIntent> = new Map([
  ["jobs", { type: "ListJobs" }],
  ["whoami", { type: "WhoAmI" }],
  ["pending", { type: "Pending" }],
  ["runs", { type: "MyRuns" }],
]);

/** What a link code looks like: the six digits `link` gives. */
const LINK_CODE = /^[0-9]{6}$/;

const unknown = (reason: string): ParsedIntent => ({ type: "Unknown", reason });

/**
 * Reads what a text message asks for (see "Commands" in DESIGN.md). Keywords are
 * case-insensitive, whitespace around and between words does not matter. Pure and total:
 * anything it cannot read is `Unknown`, with a reason meant for the sender.
 */
export function parseIntent(text: string): ParsedIntent {
  if (text.length > MAX_MESSAGE_LENGTH) {
    return unknown(`message is longer than ${MAX_MESSAGE_LENGTH} characters`);
  }
  const [first, ...args] = tokenize(text);
  if (first === undefined) return unknown("empty message");
  const keyword = asciiLower(first);
  const decision = args.length === 0 ? BARE_DECISIONS.get(keyword) : undefined;
  if (decision !== undefined) return { type: "DecidePending", decision };
  const runIdIntent = RUN_ID_KEYWORDS.get(keyword);
  if (runIdIntent !== undefined) return parseRunIdCommand(runIdIntent, keyword, args);
  if (keyword === "run") return parseRun(args);
  if (keyword === "help") return parseHelp(args);
  if (keyword === "link") return parseLink(args);
  const noArgument = NO_ARGUMENT_KEYWORDS.get(keyword);
  if (noArgument !== undefined) {
    return args.length === 0 ? { ...noArgument } : unknown(`usage: ${keyword}`);
  }
  return unknown("unrecognised command");
}

function parseLink(args: readonly string[]): ParsedIntent {
  const [code, extra] = args;
  if (code === undefined) return { type: "Link" };
  if (extra !== undefined) return unknown(`unexpected ${show(extra)}; usage: link [<code>]`);
  if (!LINK_CODE.test(code)) return unknown(`${show(code)} is not a link code (6 digits)`);
  return { type: "LinkConfirm", code };
}

function parseRunIdCommand(
  type: RunIdIntent,
  keyword: string,
  args: readonly string[],
): ParsedIntent {
  const takesCode = type === "ApproveRun";
  const usage = `usage: ${keyword} <runId>${takesCode ? " [<confirm code>]" : ""}`;
  const [token, second, extra] = args;
  if (token === undefined) return unknown(usage);
  const unexpected = takesCode ? extra : second;
  if (unexpected !== undefined) return unknown(`unexpected ${show(unexpected)}; ${usage}`);
  const runId = asciiUpper(token);
  if (!RunId.safeParse(runId).success) return unknown(`${show(token)} is not a run id`);
  if (second === undefined) return { type, runId };
  const code = asciiUpper(second);
  if (!CONFIRM_CODE.test(code)) return unknown(`${show(second)} is not a confirm code`);
  return { type: "ApproveRun", runId, code };
}

/** What a confirm code looks like; whether it is the right one is the policy's to say. */
const CONFIRM_CODE = new RegExp(`^[${CONFIRM_CODE_ALPHABET}]{${CONFIRM_CODE_LENGTH}}$`);

function parseHelp(args: readonly string[]): ParsedIntent {
  const [job, extra] = args;
  if (job === undefined) return { type: "Help" };
  if (extra !== undefined) return unknown(`unexpected ${show(extra)}; usage: help [<job>]`);
  const jobKey = asciiLower(job);
  if (!JobKey.safeParse(jobKey).success) return unknown(`${show(job)} is not a valid job name`);
  return { type: "JobHelp", jobKey };
}

function parseRun(args: readonly string[]): ParsedIntent {
  const [job, ...rest] = args;
  if (job === undefined) return unknown(RUN_USAGE);
  const jobKey = asciiLower(job);
  if (!JobKey.safeParse(jobKey).success) return unknown(`${show(job)} is not a valid job name`);
  const parameters = parseParameters(rest);
  if (!parameters.ok) return unknown(parameters.reason);
  return { type: "RunJob", jobKey, parameters: parameters.value };
}

function parseParameters(tokens: readonly string[]): Result<JobParameter[]> {
  if (tokens.length > MAX_PARAMETERS) {
    return fail(`a run takes at most ${MAX_PARAMETERS} parameters, got ${tokens.length}`);
  }
  const parameters: JobParameter[] = [];
  for (const token of tokens) {
    const parameter = parseParameter(token);
    if (!parameter.ok) return parameter;
    const { name } = parameter.value;
    if (parameters.some((p) => p.name === name)) return fail(`parameter ${show(name)} is repeated`);
    parameters.push(parameter.value);
  }
  return ok(parameters);
}

function parseParameter(token: string): Result<JobParameter> {
  const equals = token.indexOf("=");
  if (equals === -1) return fail(`${show(token)} is not a key=value parameter`);
  const name = token.slice(0, equals);
  if (!PARAMETER_NAME.test(name)) {
    return fail(`${show(token)} has a bad parameter name (1-64 letters, digits, '_', '-', '.')`);
  }
  const value = readValue(token.slice(equals + 1));
  if (!value.ok) return fail(`${show(token)} ${value.reason}`);
  if (value.value.length > MAX_VALUE_LENGTH) {
    // Unreachable while a message is at most MAX_MESSAGE_LENGTH; kept so the two limits stay apart.
    return fail(`${show(token)} has a value longer than ${MAX_VALUE_LENGTH} characters`);
  }
  return ok({ name, value: value.value });
}
