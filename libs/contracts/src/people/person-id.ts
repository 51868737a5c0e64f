import { z } from "zod";

/** The one rule for person ids and role names, wherever they are written (the directory, job policies). */
export const NAME_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

/** What a person id and a role name are made of; said in every error about one. */
export const NAME_RULE = "lower-case letters, digits, _ . or -, starting with a letter, at most 64";

/** A person's id in the directory of people: the key under `users`. */
export const PersonId = z.string().regex(NAME_PATTERN, `a person id is ${NAME_RULE}`);
export type PersonId = z.infer<typeof PersonId>;

/** A role a person holds (`dev`, `ops`, `admin`); policies name roles, not people. */
export const RoleName = z.string().regex(NAME_PATTERN, `a role name is ${NAME_RULE}`);
export type RoleName = z.infer<typeof RoleName>;
