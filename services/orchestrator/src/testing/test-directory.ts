import { Directory, parseUsersFile } from "@textops/runtime";

/** A directory of the people in `yaml` (the users file's format). */
export function directoryFrom(yaml: string): Directory {
  const parsed = parseUsersFile(yaml, "users.yaml");
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return Directory.fromFile(parsed.users);
}

/**
 * alice (dev), bob (ops), carol (ops, admin), dave (admin), erin (no role),
 * each at dev:<id>; bob is told on dev:bob-phone.
 */
export function aTeam(): Directory {
  return directoryFrom(`
users:
  alice: { name: Alice, roles: [dev], addresses: ["dev:alice"] }
  bob: { name: Bob, roles: [ops], addresses: ["dev:bob", "dev:bob-phone"], notify: "dev:bob-phone" }
  carol: { name: Carol, roles: [ops, admin], addresses: ["dev:carol"] }
  dave: { name: Dave, roles: [admin], addresses: ["dev:dave"] }
  erin: { name: Erin, addresses: ["dev:erin"] }
`);
}
