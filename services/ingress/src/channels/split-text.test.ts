import { describe, expect, test } from "vitest";
import { TELEGRAM_TEXT_LIMIT } from "./telegram/telegram-sender.js";
import { clipped, splitText } from "./split-text.js";

describe(splitText.name, () => {
  test.each<[string, string, number, string[]]>([
    ["a short text is one part", "hello", 10, ["hello"]],
    ["a text of exactly the limit is one part", "0123456789", 10, ["0123456789"]],
    ["a line break is preferred", "first line\nsecond", 12, ["first line", "second"]],
    ["else a space", "aaaa bbbb cccc", 10, ["aaaa bbbb", "cccc"]],
    ["a late space beats an early line break", "ab\ncdefg hij", 10, ["ab\ncdefg", "hij"]],
    ["an early line break beats a cut word", "ab\ncdefghijkl", 10, ["ab", "cdefghijkl"]],
    ["one long word is cut", "abcdefghijklmno", 10, ["abcdefghij", "klmno"]],
    [
      "a character outside the BMP is not cut in half",
      "abcdefghi😀xyz",
      10,
      ["abcdefghi", "😀xyz"],
    ],
    ["blank parts are left out", "aaaa\n\n\n\n\n\n\n\n\n\n\n\nbbbb", 6, ["aaaa", "bbbb"]],
    ["several parts", "one two three four five six", 9, ["one two", "three", "four five", "six"]],
  ])("%s", (_name, text, limit, parts) => {
    expect(splitText(text, limit)).toEqual(parts);
  });

  test("every part of a long text fits Telegram's limit and nothing but breaks is lost", () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i}${i % 17 === 0 ? "\n" : " "}`);
    const text = words.join("").trim();

    const parts = splitText(text, TELEGRAM_TEXT_LIMIT);

    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
  });
});

describe(clipped.name, () => {
  test("a text within the limit stays; a longer one is cut to it, an ellipsis last", () => {
    expect(clipped("0123456789", 10)).toBe("0123456789");
    expect(clipped("0123456789a", 10)).toBe("012345678…");
  });
});
