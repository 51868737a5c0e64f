import { describe, expect, test } from "vitest";
import { FirstLine, LastLine, SUMMARY_MAX_CHARS } from "./output-lines.js";

const read = <T extends LastLine | FirstLine>(reader: T, ...pieces: string[]): string => {
  for (const piece of pieces) reader.push(piece);
  return reader.value;
};

describe(LastLine.name, () => {
  test("is the last non-empty line, trimmed", () => {
    expect(read(new LastLine(), "first\n", "  second  \n\n", "   \n")).toBe("second");
  });

  test("joins a line that came in pieces", () => {
    expect(read(new LastLine(), "deployed ", "api", " v2\n")).toBe("deployed api v2");
  });

  test("counts an unfinished last line, and \\r\\n or \\r as line breaks", () => {
    expect(read(new LastLine(), "one\r\ntwo\rthree")).toBe("three");
  });

  test("is empty when there was no text", () => {
    expect(read(new LastLine())).toBe("");
    expect(read(new LastLine(), "\n \n")).toBe("");
  });

  test("keeps only the first characters of a long line", () => {
    const long = `  ${"x".repeat(10_000)}`;

    expect(read(new LastLine(), long, long, "\n")).toBe("x".repeat(SUMMARY_MAX_CHARS));
  });

  test("does not cut a character made of two code units in half", () => {
    const line = `${"x".repeat(SUMMARY_MAX_CHARS - 1)}😀 and more`;

    expect(read(new LastLine(), line)).toBe("x".repeat(SUMMARY_MAX_CHARS - 1));
  });
});

describe(FirstLine.name, () => {
  test("is the first non-empty line, trimmed", () => {
    expect(read(new FirstLine(), "\n  ", " deployed api \n", "second\n")).toBe("deployed api");
  });

  test("is the unfinished line when no line has ended", () => {
    expect(read(new FirstLine(), "ok")).toBe("ok");
  });

  test("is empty when there was no text", () => {
    expect(read(new FirstLine(), "")).toBe("");
  });
});
