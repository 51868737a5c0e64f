import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ParsedIntent, RUN_ID_ALPHABET } from "@textops/contracts";
import type { JobParameter } from "@textops/contracts";
import { parseIntent } from "./parse-intent.js";

const unknown = (reason: string): ParsedIntent => ({ type: "Unknown", reason });
const runJob = (jobKey: string, parameters: JobParameter[] = []): ParsedIntent => ({
  type: "RunJob",
  jobKey,
  parameters,
});
const params = (count: number): string =>
  Array.from({ length: count }, (_, i) => `p${i}=${i}`).join(" ");
const padTo = (length: number, text: string): string => text.padEnd(length, " ");
const longNote = `run deploy note=${"x".repeat(984)}`;

/** Mixes upper and lower case at random. */
const anyCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) =>
      Array.from(text, (c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(""),
    );
const separator = fc.constantFrom(" ", "  ", "\t", "\n", " \r\n\t ");
const runId = fc.string({ unit: fc.constantFrom(...RUN_ID_ALPHABET), minLength: 6, maxLength: 6 });
const RUN_ID_KEYWORDS = [
  ["yes", "ApproveRun"],
  ["approve", "ApproveRun"],
  ["no", "DenyRun"],
  ["deny", "DenyRun"],
  ["status", "StatusQuery"],
  ["cancel", "CancelRun"],
] as const;
const runIdKeyword = fc.constantFrom(...RUN_ID_KEYWORDS);
const jobKey = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,63}$/);
const parameter = fc.record({
  name: fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/),
  value: fc.string({ unit: "binary", maxLength: 20 }),
});
const parameterList = fc.uniqueArray(parameter, { selector: (p) => p.name, maxLength: 10 });
const quote = (value: string): string => `"${value.replace(/["\\]/g, "\\$&")}"`;
/** A valid command split into its keyword and the rest of its text. */
const validCommand = fc.oneof(
  fc.tuple(
    fc.constantFrom("help", "jobs", "whoami", "pending", "runs", "link", "yes", "no"),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constant("link"),
    fc.tuple(separator, fc.stringMatching(/^[0-9]{6}$/)).map(([s, code]) => s + code),
  ),
  fc.tuple(
    runIdKeyword.map(([keyword]) => keyword),
    fc.tuple(separator, runId).map(([s, id]) => s + id),
  ),
  fc.tuple(
    fc.constant("run"),
    fc
      .tuple(separator, jobKey, parameterList)
      .map(([s, job, ps]) => [s, job, ...ps.map((p) => `${p.name}=${quote(p.value)}`)].join(s)),
  ),
);

describe(parseIntent.name, () => {
  test.each<[string, ParsedIntent]>([
    ["help", { type: "Help" }],
    [" \t HeLp \n", { type: "Help" }],
    ["help Deploy", { type: "JobHelp", jobKey: "deploy" }],
    ["JOBS", { type: "ListJobs" }],
    ["yes", { type: "DecidePending", decision: "approve" }],
    ["  YES \n", { type: "DecidePending", decision: "approve" }],
    ["no", { type: "DecidePending", decision: "deny" }],
    ["No", { type: "DecidePending", decision: "deny" }],
    ["whoami", { type: "WhoAmI" }],
    [" WhoAmI ", { type: "WhoAmI" }],
    ["pending", { type: "Pending" }],
    ["PENDING", { type: "Pending" }],
    ["runs", { type: "MyRuns" }],
    ["Runs\t", { type: "MyRuns" }],
    ["link", { type: "Link" }],
    ["LINK", { type: "Link" }],
    ["link 123456", { type: "LinkConfirm", code: "123456" }],
    ["  Link\t012345 ", { type: "LinkConfirm", code: "012345" }],
    ["logs k7q2mx", { type: "RunLogs", runId: "K7Q2MX" }],
    ["  YES k7q2mx  ", { type: "ApproveRun", runId: "K7Q2MX" }],
    ["approve K7Q2MX", { type: "ApproveRun", runId: "K7Q2MX" }],
    ["\tyes\n\nk7Q2mX\r\n", { type: "ApproveRun", runId: "K7Q2MX" }],
    ["yes K7Q2MX h4kq2p", { type: "ApproveRun", runId: "K7Q2MX", code: "H4KQ2P" }],
    ["approve K7Q2MX H4KQ2P", { type: "ApproveRun", runId: "K7Q2MX", code: "H4KQ2P" }],
    ["no k7q2mx", { type: "DenyRun", runId: "K7Q2MX" }],
    ["DENY abcdef", { type: "DenyRun", runId: "ABCDEF" }],
    ["Status 234567", { type: "StatusQuery", runId: "234567" }],
    ["cancel  \t zz99aa", { type: "CancelRun", runId: "ZZ99AA" }],
    ["run deploy", runJob("deploy")],
    ["RUN Deploy", runJob("deploy")],
    ["run db.backup-nightly_2", runJob("db.backup-nightly_2")],
    [
      'run deploy env=prod note="two words"',
      runJob("deploy", [
        { name: "env", value: "prod" },
        { name: "note", value: "two words" },
      ]),
    ],
    ["run\tdeploy\n\n  env=prod\r\n", runJob("deploy", [{ name: "env", value: "prod" }])],
    [
      'run deploy note="line one\n\tline two"',
      runJob("deploy", [{ name: "note", value: "line one\n\tline two" }]),
    ],
    [
      'run deploy a= b=""',
      runJob("deploy", [
        { name: "a", value: "" },
        { name: "b", value: "" },
      ]),
    ],
    [
      String.raw`run deploy say="she said \"hi\"" path="a\\b" win="C:\dir"`,
      runJob("deploy", [
        { name: "say", value: 'she said "hi"' },
        { name: "path", value: "a\\b" },
        { name: "win", value: "C:\\dir" },
      ]),
    ],
    [
      "run deploy Env=Prod env=prod url=https://x.test/?a=b",
      runJob("deploy", [
        { name: "Env", value: "Prod" },
        { name: "env", value: "prod" },
        { name: "url", value: "https://x.test/?a=b" },
      ]),
    ],
    ["run deploy a.B_c-9=1", runJob("deploy", [{ name: "a.B_c-9", value: "1" }])],
    [`run deploy ${"n".repeat(64)}=1`, runJob("deploy", [{ name: "n".repeat(64), value: "1" }])],
    [
      `run deploy ${params(20)}`,
      runJob(
        "deploy",
        Array.from({ length: 20 }, (_, i) => ({ name: `p${i}`, value: `${i}` })),
      ),
    ],
    [longNote, runJob("deploy", [{ name: "note", value: "x".repeat(984) }])],
    [padTo(1000, "help"), { type: "Help" }],
  ])("reads %j", (text, expected) => {
    expect(parseIntent(text)).toEqual(expected);
  });

  test.each<[string, string]>([
    ["", "empty message"],
    [" \t\r\n ", "empty message"],
    [padTo(1001, "help"), "message is longer than 1000 characters"],
    [`${longNote}x`, "message is longer than 1000 characters"],
    ["hello", "unrecognised command"],
    ["yess K7Q2MX", "unrecognised command"],
    ['"yes" K7Q2MX', "unrecognised command"],
    ["constructor", "unrecognised command"],
    ["__proto__ K7Q2MX", "unrecognised command"],
    ["help me please", 'unexpected "please"; usage: help [<job>]'],
    ["help b@d", '"b@d" is not a valid job name'],
    ["jobs all", "usage: jobs"],
    ["whoami please", "usage: whoami"],
    ["pending K7Q2MX", "usage: pending"],
    ["runs all", "usage: runs"],
    ["link 12345", '"12345" is not a link code (6 digits)'],
    ["link 1234567", '"1234567" is not a link code (6 digits)'],
    ["link abcdef", '"abcdef" is not a link code (6 digits)'],
    ["link １２３４５６", '"１２３４５６" is not a link code (6 digits)'],
    ["link 123456 now", 'unexpected "now"; usage: link [<code>]'],
    ["whoami?", "unrecognised command"],
    ["logs", "usage: logs <runId>"],
    ["run", "usage: run <job> [key=value …]"],
    ["  RUN \n", "usage: run <job> [key=value …]"],
    ["APPROVE", "usage: approve <runId> [<confirm code>]"],
    ["deny", "usage: deny <runId>"],
    ["status", "usage: status <runId>"],
    ["cancel", "usage: cancel <runId>"],
    ["yes K7Q2M0", '"K7Q2M0" is not a run id'],
    ["yes k7q2mi", '"k7q2mi" is not a run id'],
    ["no K7Q2MXX", '"K7Q2MXX" is not a run id'],
    ["status K7Q2M", '"K7Q2M" is not a run id'],
    ["cancel ﬀ2345", '"ﬀ2345" is not a run id'],
    ['yes "K7Q2MX"', '""K7Q2MX"" is not a run id'],
    ["yes K7Q2MX please", '"please" is not a confirm code'],
    ["yes K7Q2MX H4KQ2P now", 'unexpected "now"; usage: yes <runId> [<confirm code>]'],
    ["cancel K7Q2MX now", 'unexpected "now"; usage: cancel <runId>'],
    ["run Deploy!", '"Deploy!" is not a valid job name'],
    ["run -deploy", '"-deploy" is not a valid job name'],
    ["run env=prod", '"env=prod" is not a valid job name'],
    ["run \u212Aey", '"\u212Aey" is not a valid job name'],
    [`run ${"j".repeat(65)}`, `"${"j".repeat(40)}…" is not a valid job name`],
    ["run deploy env", '"env" is not a key=value parameter'],
    ["run deploy =prod", `"=prod" has a bad parameter name (1-64 letters, digits, '_', '-', '.')`],
    ["run deploy b@d=1", `"b@d=1" has a bad parameter name (1-64 letters, digits, '_', '-', '.')`],
    [
      `run deploy ${"n".repeat(65)}=1`,
      `"${"n".repeat(40)}…" has a bad parameter name (1-64 letters, digits, '_', '-', '.')`,
    ],
    ['run deploy note="two words', '"note="two words" has an unterminated quote'],
    [
      String.raw`run deploy note="ends in \"`,
      String.raw`"note="ends in \"" has an unterminated quote`,
    ],
    ['run deploy note=a"b', '"note=a"b" has a quote inside an unquoted value'],
    ['run deploy note="a"b', '"note="a"b" has text after its closing quote'],
    ["run deploy env=prod env=dev", 'parameter "env" is repeated'],
    [`run deploy ${params(21)}`, "a run takes at most 20 parameters, got 21"],
  ])("answers %j with Unknown", (text, reason) => {
    expect(parseIntent(text)).toEqual(unknown(reason));
  });

  test("the 1,000-character limit counts the whole text, whitespace included", () => {
    expect(longNote).toHaveLength(1000);
    expect(padTo(1001, "help")).toHaveLength(1001);
  });

  const anyText = fc.oneof(
    fc.string({ unit: "binary" }),
    fc.string({ unit: "binary", minLength: 990, maxLength: 1010 }),
    fc.string({ unit: "binary", maxLength: 5000 }),
    fc
      .array(fc.constantFrom("run", "yes", "help", "K7Q2MX", "a=", '"', "\\", "=", " ", "\t", "x"))
      .map((parts) => parts.join("")),
  );

  test("never throws and always returns a valid ParsedIntent", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const intent = parseIntent(text);
        expect(ParsedIntent.parse(intent)).toEqual(intent);
        expect(parseIntent(text)).toEqual(intent);
      }),
      { numRuns: 1000 },
    );
  });

  test("reads keywords case-insensitively", () => {
    fc.assert(
      fc.property(validCommand, ([keyword, rest]) => {
        const intent = parseIntent(keyword + rest);
        expect(intent.type).not.toBe("Unknown");
        expect(parseIntent(keyword.toUpperCase() + rest)).toEqual(intent);
      }),
    );
  });

  test("round-trips run id commands, upper-casing the id", () => {
    const command = fc.tuple(runIdKeyword, separator, runId, separator);
    const typed = command.chain(([[keyword, type], s, id, end]) =>
      fc
        .tuple(anyCase(keyword), anyCase(id))
        .map(([k, i]) => ({ text: `${s}${k}${s}${i}${end}`, type, id })),
    );
    fc.assert(
      fc.property(typed, ({ text, type, id }) => {
        expect(parseIntent(text)).toEqual({ type, runId: id });
      }),
    );
  });

  test("round-trips run commands with quoted values", () => {
    fc.assert(
      fc.property(jobKey.chain(anyCase), separator, parameterList, (job, s, ps) => {
        const text = ["run", job, ...ps.map((p) => `${p.name}=${quote(p.value)}`)].join(s);
        expect(parseIntent(text)).toEqual(runJob(job.toLowerCase(), ps));
      }),
    );
  });
});
