/** What the carrier layer does with a one-word text; null for any other text. */
export type SmsKeyword = "opt-out" | "opt-in" | "help";

const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: "opt-out",
  STOPALL: "opt-out",
  UNSUBSCRIBE: "opt-out",
  CANCEL: "opt-out",
  END: "opt-out",
  QUIT: "opt-out",
  START: "opt-in",
  YES: "opt-in",
  UNSTOP: "opt-in",
  HELP: "help",
  INFO: "help",
};

/** Twilio's `OptOutType` form field: set when its opt-out handling took the text as a keyword. */
const OPT_OUT_TYPES: Record<string, SmsKeyword> = {
  STOP: "opt-out",
  START: "opt-in",
  HELP: "help",
};

/**
 * The carrier keyword a text is, if any: Twilio's own verdict (`OptOutType`,
 * which also covers keywords an Advanced Opt-Out configuration added) when
 * given, else a single word of the standard lists, in any case.
 */
export function smsKeyword(body: string, optOutType?: string): SmsKeyword | null {
  const twilios = optOutType ? OPT_OUT_TYPES[optOutType.trim().toUpperCase()] : undefined;
  if (twilios) return twilios;
  return KEYWORDS[body.trim().toUpperCase()] ?? null;
}
