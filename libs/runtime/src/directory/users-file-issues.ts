import { NAME_RULE } from "@textops/contracts";
import { fieldAt, quote, type IssuePath, type IssueWording } from "../yaml-file/index.js";

/** `user "bob", field "addresses[1]"`: where in the directory of people an issue is. */
export function describeLocation(path: IssuePath): string {
  const [top, id, ...rest] = path;
  if (top !== "users" || id === undefined) return fieldAt(path);
  const person = `user ${quote(id)}`;
  return rest.length === 0 ? person : `${person}, ${fieldAt(rest)}`;
}

export const usersFileWording: IssueWording = {
  locate: describeLocation,
  keyName: (path) =>
    path.length === 2 && path[0] === "users" ? `person id (${NAME_RULE})` : "name",
};
