import { describe, expect, test } from "vitest";
import { MAX_SMS_LENGTH, splitSms } from "./split-sms.js";

const words = (count: number, word = "word") => Array.from({ length: count }, () => word).join(" ");

describe(splitSms.name, () => {
  test.each([
    {
      name: "a short text is one part, unchanged",
      text: "  Job demo is ready \n",
      max: 30,
      parts: ["  Job demo is ready \n"],
    },
    {
      name: "a text of exactly max is one part",
      text: "abcde fghij",
      max: 11,
      parts: ["abcde fghij"],
    },
    {
      name: "splits at the last space that fits",
      text: "abc def ghi",
      max: 8,
      parts: ["abc def", "ghi"],
    },
    {
      name: "a space right at max is a boundary",
      text: "abcd efgh",
      max: 4,
      parts: ["abcd", "efgh"],
    },
    {
      name: "drops the run of spaces at a split",
      text: "abc    def",
      max: 5,
      parts: ["abc", "def"],
    },
    {
      name: "newlines are boundaries too",
      text: "line one\nline two",
      max: 10,
      parts: ["line one", "line two"],
    },
    {
      name: "a word longer than max is cut hard",
      text: "abcdefghij klm",
      max: 4,
      parts: ["abcd", "efgh", "ij", "klm"],
    },
    {
      name: "a hard cut keeps a surrogate pair whole",
      text: "abc😀def",
      max: 4,
      parts: ["abc", "😀de", "f"],
    },
    {
      name: "spaces only, longer than max: one part of max",
      text: "      ",
      max: 4,
      parts: ["    "],
    },
  ])("$name", ({ text, max, parts }) => {
    expect(splitSms(text, max)).toEqual(parts);
  });

  test("Twilio's limit by default: 1600 characters a part, every word kept in order", () => {
    const text = words(500, "approve");

    const parts = splitSms(text);

    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_SMS_LENGTH);
    expect(parts.join(" ")).toBe(text);
  });
});
