import type { ParsedIntent } from "@textops/contracts";
import { LINK_CODE_DIGITS, LINK_CODE_TTL_MS } from "../domain/link-code.js";
import { notice } from "../domain/notices.js";
import { peopleTexts } from "../domain/people-notices.js";
import { addressOf, destinationOf, type Person } from "../domain/requester.js";
import { destinationOfAddress } from "../domain/roster.js";
import { noticeOnly, noticesOnly, type Applying, type Outcome } from "./inbound-outcome.js";
import type { PeopleDirectory } from "./people-directory.js";

const MINUTES = LINK_CODE_TTL_MS / 60_000;
/** The code as the inbox entry keeps the answer: the notice carrying it is kept only until published. */
const MASKED = "*".repeat(LINK_CODE_DIGITS);

/** `link` from a known address: a code for the person, told here and stored only hashed. */
export async function issueLink(
  directory: PeopleDirectory,
  intent: ParsedIntent,
  applying: Applying,
  person: Person,
): Promise<Outcome> {
  const key = applying.processedKey;
  const from = addressOf(applying.requester);
  const code = await directory.links.issue({
    personId: person.id,
    from,
    now: applying.now,
    cause: key,
  });
  const told = noticeOnly(
    applying,
    intent,
    peopleTexts.linkCode(code, MINUTES),
    `link-code:${key}`,
  );
  const kept = noticeOnly(
    applying,
    intent,
    peopleTexts.linkCode(MASKED, MINUTES),
    `link-code:${key}`,
  );
  return { kind: "answer-only", answer: told.answer, kept: kept.answer };
}

/**
 * `link <code>` from the address to link: linked to the code's person, who
 * is told on the address `link` was sent from. An address the directory or
 * a link already gives to someone is not linked again.
 */
export async function confirmLink(
  directory: PeopleDirectory,
  intent: Extract<ParsedIntent, { type: "LinkConfirm" }>,
  applying: Applying,
): Promise<Outcome> {
  const key = applying.processedKey;
  const address = addressOf(applying.requester);
  const reply = (body: string, kind: string) =>
    noticeOnly(applying, intent, body, `${kind}:${key}`);
  if (directory.listed(address)) return reply(peopleTexts.addressTaken(), "address-taken");
  const request = { address, code: intent.code, now: applying.now, cause: key };
  const outcome = await directory.links.confirm(request);
  switch (outcome.kind) {
    case "taken":
      return reply(peopleTexts.addressTaken(), "address-taken");
    case "no-longer-valid":
      return reply(peopleTexts.linkCodeNoLongerValid(), "link-code-void");
    case "wrong":
      return reply(peopleTexts.linkCodeWrong(), "link-code-wrong");
    case "linked": {
      const person = directory.context.roster.person(outcome.personId);
      const name = person?.name ?? outcome.personId;
      return noticesOnly(applying, intent, [
        notice(
          destinationOf(applying.requester),
          peopleTexts.linked(address, name),
          "",
          `linked:${key}`,
        ),
        notice(
          destinationOfAddress(outcome.linkedFrom),
          peopleTexts.linkedNotice(address),
          "",
          `linked-notice:${address}`,
        ),
      ]);
    }
  }
}
