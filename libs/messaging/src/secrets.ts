/** A URL's start: its scheme and `//`. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A URL with a user part in free text: the user part ends at the token's last `@`. */
const URL_WITH_USER = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'`<>]*)@/gi;

/** `user:password` becomes `user:***`; a user part without a password (a token, maybe) `***`. */
function maskUserInfo(userInfo: string): string {
  const colon = userInfo.indexOf(":");
  return colon === -1 ? "***" : `${userInfo.slice(0, colon)}:***`;
}

/**
 * The URL with the password in its user part replaced by `***`, for errors
 * and logs. Everything between `//` and the last `@` counts as the user part,
 * so a password with a raw `@`, `/` or space is hidden whole. Text without a
 * scheme is returned as it is: see `showSecret` for values that may be anything.
 */
export function maskUrl(url: string): string {
  const scheme = SCHEME.exec(url)?.[0];
  const at = url.lastIndexOf("@");
  if (scheme === undefined || at < scheme.length) return url;
  return `${scheme}${maskUserInfo(url.slice(scheme.length, at))}${url.slice(at)}`;
}

/** Every URL in free text (a log line, an error's message or stack) with its credentials masked. */
export function maskCredentials(text: string): string {
  return text.replace(
    URL_WITH_USER,
    (_match, scheme: string, userInfo: string) => `${scheme}${maskUserInfo(userInfo)}@`,
  );
}

/**
 * A value that may hold credentials, as it may be shown: a URL with them
 * masked, anything else (`user:password@host` without a scheme, a bare
 * password) not at all.
 */
export function showSecret(value: string): string | undefined {
  return SCHEME.test(value) ? maskUrl(value) : undefined;
}
