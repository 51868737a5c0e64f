import { z } from "zod";
import { Address } from "./address.js";
import { PersonId, RoleName } from "./person-id.js";

/** The SHA-256 of a bearer token, as the directory stores it; never the token itself. */
export const ApiTokenHash = z
  .string()
  .regex(
    /^sha256:[0-9a-f]{64}$/,
    'an API token is given as "sha256:" then the 64 lower-case hex digits of its SHA-256 (printf %s "$TOKEN" | sha256sum), never the token itself',
  );
export type ApiTokenHash = z.infer<typeof ApiTokenHash>;

/** One person of the directory, as the file gives them. */
export const PersonEntry = z.strictObject({
  /** How messages name them; their id when absent. */
  name: z.string().min(1).optional(),
  roles: z.array(RoleName).default([]),
  /** Where they send from; the first is where notices go unless `notify` says otherwise. */
  addresses: z.array(Address).min(1, "a person needs at least one address"),
  notify: Address.optional(),
  apiTokens: z.array(ApiTokenHash).default([]),
});
export type PersonEntry = z.infer<typeof PersonEntry>;

/** The directory of people (`USERS_FILE`): who may send, from where, in which roles. */
export const UsersFile = z
  .strictObject({
    users: z
      .record(PersonId, PersonEntry)
      .refine((users) => Object.keys(users).length > 0, "the directory lists no people"),
  })
  .superRefine((file, context) => {
    // An address or a token stands for one person: the first to claim it.
    for (const field of ["addresses", "apiTokens"] as const) {
      const owners = new Map<string, string>();
      for (const [id, person] of Object.entries(file.users)) {
        person[field].forEach((value, index) => {
          const owner = owners.get(value);
          if (owner !== undefined) {
            const whose = owner === id ? "is listed twice" : `is also listed under user "${owner}"`;
            const what = field === "addresses" ? JSON.stringify(value) : "this token hash";
            context.addIssue({
              code: "custom",
              path: ["users", id, field, index],
              message: `${what} ${whose}`,
            });
          }
          owners.set(value, owner ?? id);
        });
      }
    }
  });
export type UsersFile = z.infer<typeof UsersFile>;
