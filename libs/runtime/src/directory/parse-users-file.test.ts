import { describe, expect, test } from "vitest";
import { parseUsersFile } from "./parse-users-file.js";

const FILE = "config/users.yaml";
const HASH = `sha256:${"ab".repeat(32)}`;

/** A directory with `alice` as the issue gives her and `bob` made of `fields`. */
const withBob = (fields: string) =>
  [
    "users:",
    '  alice: { name: Alice Doe, roles: [dev], addresses: ["dev:alice", "sms:+15551230001"] }',
    `  bob: { ${fields} }`,
  ].join("\n");

/** Bob with his addresses replaced by `address`. */
const bobAt = (address: string) => withBob(`addresses: ["dev:bob", ${JSON.stringify(address)}]`);

describe(parseUsersFile.name, () => {
  test("reads the issue's example, defaults applied", () => {
    const text = [
      "users:",
      '  alice: { name: Alice Doe, roles: [dev], addresses: ["dev:alice", "sms:+15551230001"] }',
      '  bob:   { roles: [ops], addresses: ["dev:bob", "telegram:4242"], notify: "telegram:4242" }',
      `  carol: { roles: [ops, admin], addresses: ["dev:carol", "slack:U02ABCDEF"], apiTokens: ["${HASH}"] }`,
    ].join("\n");

    const parsed = parseUsersFile(text, FILE);

    expect(parsed).toEqual({
      ok: true,
      users: {
        users: {
          alice: {
            name: "Alice Doe",
            roles: ["dev"],
            addresses: ["dev:alice", "sms:+15551230001"],
            apiTokens: [],
          },
          bob: {
            roles: ["ops"],
            addresses: ["dev:bob", "telegram:4242"],
            notify: "telegram:4242",
            apiTokens: [],
          },
          carol: {
            roles: ["ops", "admin"],
            addresses: ["dev:carol", "slack:U02ABCDEF"],
            apiTokens: [HASH],
          },
        },
      },
    });
  });

  test("a person with only an address gets no roles and no tokens", () => {
    const parsed = parseUsersFile('users:\n  dave: { addresses: ["dev:dave"] }', FILE);

    expect(parsed.ok && parsed.users.users.dave).toEqual({
      roles: [],
      addresses: ["dev:dave"],
      apiTokens: [],
    });
  });

  test.for([
    [
      'users:\n  Bob: { addresses: ["dev:bob"] }',
      'user "Bob": not a valid person id (lower-case letters, digits, _ . or -, starting with a letter, at most 64)',
    ],
    [
      'users:\n  1bob: { addresses: ["dev:bob"] }',
      'user "1bob": not a valid person id (lower-case letters, digits, _ . or -, starting with a letter, at most 64)',
    ],
    [
      `users:\n  ${"a".repeat(65)}: { addresses: ["dev:a"] }`,
      `user "${"a".repeat(65)}": not a valid person id (lower-case letters, digits, _ . or -, starting with a letter, at most 64)`,
    ],
    [
      withBob('addresses: ["dev:bob"], email: bob@example.com'),
      'user "bob": unknown field "email"',
    ],
    [withBob("roles: [ops]"), 'user "bob", field "addresses": missing'],
    [
      withBob("addresses: []"),
      'user "bob", field "addresses": a person needs at least one address',
    ],
    [
      withBob('addresses: "dev:bob"'),
      'user "bob", field "addresses": expected array, received string',
    ],
    [
      withBob('roles: [Ops], addresses: ["dev:bob"]'),
      'user "bob", field "roles[0]": a role name is lower-case letters, digits, _ . or -, starting with a letter, at most 64',
    ],
    [
      bobAt("bob"),
      'user "bob", field "addresses[1]": an address is <channel>:<id>, e.g. "sms:+15551230001"',
    ],
    [
      bobAt("email:bob@example.com"),
      'user "bob", field "addresses[1]": unknown channel "email"; the channels are dev, sms, telegram, slack',
    ],
    [
      bobAt("SMS:+15551230002"),
      'user "bob", field "addresses[1]": channel "SMS" must be lower-case: "sms:"',
    ],
    [
      bobAt("dev:"),
      'user "bob", field "addresses[1]": a dev address is "dev:" then an id without whitespace',
    ],
    [
      bobAt("dev:bob stone"),
      'user "bob", field "addresses[1]": a dev address is "dev:" then an id without whitespace',
    ],
    ...["sms:15551230002", "sms:+1555", "sms:+1234567890123456", "sms:+1-555-123"].map(
      (address) =>
        [
          bobAt(address),
          'user "bob", field "addresses[1]": an sms address is "sms:" then an E.164 number, + and 8-15 digits (e.g. "sms:+15551230001")',
        ] as const,
    ),
    ...["telegram:@bob", "telegram:0", "telegram:-4242"].map(
      (address) =>
        [
          bobAt(address),
          'user "bob", field "addresses[1]": a telegram address is "telegram:" then a numeric user id (e.g. "telegram:4242")',
        ] as const,
    ),
    ...["slack:u02abcdef", "slack:C02ABCDEF", "slack:U"].map(
      (address) =>
        [
          bobAt(address),
          'user "bob", field "addresses[1]": a slack address is "slack:" then a Slack user id: U or W, then upper-case letters or digits (e.g. "slack:U02ABCDEF")',
        ] as const,
    ),
    [
      withBob('addresses: ["dev:bob"], notify: "pager:7"'),
      'user "bob", field "notify": unknown channel "pager"; the channels are dev, sms, telegram, slack',
    ],
    [
      withBob('addresses: ["dev:bob", "sms:+15551230001"]'),
      'user "bob", field "addresses[1]": "sms:+15551230001" is also listed under user "alice"',
    ],
    [
      withBob('addresses: ["dev:bob", "dev:bob"]'),
      'user "bob", field "addresses[1]": "dev:bob" is listed twice',
    ],
    ...[
      "ab".repeat(32),
      `sha256:${"AB".repeat(32)}`,
      `sha256:${"ab".repeat(31)}`,
      "sha256:my-secret-token",
    ].map(
      (token) =>
        [
          withBob(`addresses: ["dev:bob"], apiTokens: ["${token}"]`),
          'user "bob", field "apiTokens[0]": an API token is given as "sha256:" then the 64 lower-case hex digits of its SHA-256 (printf %s "$TOKEN" | sha256sum), never the token itself',
        ] as const,
    ),
    ["users: {}", 'field "users": the directory lists no people'],
    ["users:", 'field "users": expected record, received null'],
    ["people: {}", 'unknown field "people"'],
    [
      'users:\n  bob: { addresses: ["dev:bob"] }\n  bob: { addresses: ["dev:bobby"] }',
      "line 3, column 3: not valid YAML: Map keys must be unique",
    ],
    [
      'users:\n  bob: { addresses: ["dev:bob"]',
      "line 2, column 32: not valid YAML: Flow map in block collection must be sufficiently indented and end with a }",
    ],
  ] as const)("%j is refused: %s", ([text, error]) => {
    const parsed = parseUsersFile(text, FILE);

    expect(parsed.ok ? [] : parsed.errors).toContain(`${FILE}: ${error}`);
  });

  test("the same token hash under two people names both", () => {
    const text = [
      "users:",
      `  alice: { addresses: ["dev:alice"], apiTokens: ["${HASH}"] }`,
      `  bob: { addresses: ["dev:bob"], apiTokens: ["${HASH}"] }`,
    ].join("\n");

    expect(parseUsersFile(text, FILE)).toEqual({
      ok: false,
      errors: [
        `${FILE}: user "bob", field "apiTokens[0]": this token hash is also listed under user "alice"`,
      ],
    });
  });

  test("every error is reported, not only the first", () => {
    const text = [
      "users:",
      '  alice: { addresses: ["sms:555"], role: [dev] }',
      '  bob: { addresses: ["slack:bob"] }',
    ].join("\n");

    const parsed = parseUsersFile(text, FILE);

    expect(parsed.ok ? [] : parsed.errors).toEqual([
      `${FILE}: user "alice", field "addresses[0]": an sms address is "sms:" then an E.164 number, + and 8-15 digits (e.g. "sms:+15551230001")`,
      `${FILE}: user "alice": unknown field "role"`,
      `${FILE}: user "bob", field "addresses[0]": a slack address is "slack:" then a Slack user id: U or W, then upper-case letters or digits (e.g. "slack:U02ABCDEF")`,
    ]);
  });
});
