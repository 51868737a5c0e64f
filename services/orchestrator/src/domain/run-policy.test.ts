import { describe, expect, test } from "vitest";
import { catalogFrom } from "../testing/test-catalog.js";
import { aTeam } from "../testing/test-directory.js";
import { peopleDirectoryOf } from "../app/people-directory.js";
import { inMemoryIdentities } from "../testing/in-memory-identities.js";
import { jobsFor, policyForRequest } from "./run-policy.js";

const catalog = catalogFrom(`
jobs:
  open: { description: Open, executor: { kind: builtin, name: demo } }
  deploy:
    description: Deploy
    executor: { kind: builtin, name: demo }
    access: { roles: [dev] }
    approval: { approvers: { roles: [ops] }, expiresAfter: 30m, escalateAfter: 10m, escalateTo: { roles: [admin] } }
  late:
    description: Escalation after expiry
    executor: { kind: builtin, name: demo }
    approval: { escalateAfter: 2h, escalateTo: { users: [dave] } }
  quorum:
    description: Needs three ops
    executor: { kind: builtin, name: demo }
    approval: { approvers: { roles: [ops] }, required: 3 }
  ping:
    description: Harmless
    executor: { kind: builtin, name: demo }
    approval: { autoApprove: true }
`);

const people = peopleDirectoryOf(
  aTeam(),
  inMemoryIdentities(),
  "secret-for-codes-0123456789",
).context;
const T = Date.parse("2026-12-02T12:00:00.000Z");
const HOUR = 3_600_000;
const person = (id: string) => {
  const found = people.roster.person(id);
  if (found === undefined) throw new Error(`no ${id}`);
  return found;
};

const decide = (jobKey: string, requester: string) => {
  const job = catalog.jobs.get(jobKey);
  if (job === undefined) throw new Error(`no job ${jobKey}`);
  return policyForRequest(people, jobKey, job, person(requester), T, 3600);
};

describe(policyForRequest.name, () => {
  test.each([
    ["open", "erin", { approvers: ["alice", "bob", "carol", "dave"], escalation: null }],
    ["open", "bob", { approvers: ["alice", "carol", "dave", "erin"], escalation: null }],
    [
      "deploy",
      "alice",
      { approvers: ["bob", "carol"], escalation: { at: T + HOUR / 6, to: ["dave"] } },
    ],
    // Escalating after two hours, with the default one-hour expiry, would never come.
    ["late", "alice", { approvers: ["bob", "carol", "dave", "erin"], escalation: null }],
    ["ping", "erin", { approvers: [], escalation: null }],
  ])("%s asked for by %s", (jobKey, requester, expected) => {
    expect(decide(jobKey, requester)).toMatchObject({ ok: true, policy: expected });
  });

  test.each([
    ["deploy", "bob", 'You may not run job "deploy": it is only for role dev.'],
    [
      "quorum",
      "alice",
      'Job "quorum" was not run: it needs 3 approvals and only 2 people may give one.',
    ],
  ])("%s asked for by %s is refused", (jobKey, requester, reply) => {
    expect(decide(jobKey, requester)).toEqual({ ok: false, reply });
  });

  test("jobs lists only what the person may ask for", () => {
    expect([...jobsFor(catalog.jobs, person("bob")).keys()]).toEqual([
      "open",
      "late",
      "quorum",
      "ping",
    ]);
  });
});
