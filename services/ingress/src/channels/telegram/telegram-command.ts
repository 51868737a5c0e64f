/** A command as Telegram clients write it: "/status", "/status@textops_bot", then its arguments. */
const COMMAND = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/;

/**
 * What a person's text says to TextOps: a command loses its "/" and its
 * "@botname" ("/status@textops_bot K7Q2MX" reads "status K7Q2MX"), and
 * "/start" (what a client sends on opening the chat) reads "help". Null for
 * a command addressed to another bot of the same group.
 */
export function inboundText(text: string, botUsername: string): string | null {
  const command = COMMAND.exec(text);
  if (!command) return text;
  const [whole, name = "", addressee] = command;
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase()) {
    return null;
  }
  if (name.toLowerCase() === "start") return "help";
  return name + text.slice(whole.length);
}
