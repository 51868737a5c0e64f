import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  OMITTED_LINES,
  RunOutputChunk,
  joinOutput,
  lastLines,
  outputAttempts,
  readOutputChunks,
} from "./index.js";

const chunk = (seq: number, text: string, cut?: boolean) => ({
  seq,
  text,
  ...(cut === undefined ? {} : { cut }),
});

describe(joinOutput.name, () => {
  test("joins the chunks in seq order, whatever order they come in", () => {
    const joined = joinOutput([chunk(2, "c\n"), chunk(0, "a\n"), chunk(1, "b\n")]);

    expect(joined).toEqual({ text: "a\nb\nc\n", truncated: false });
  });

  test("is truncated when the first kept chunk is not the first written", () => {
    expect(joinOutput([chunk(4, "e"), chunk(3, "d")])).toEqual({ text: "de", truncated: true });
  });

  test("is truncated when a chunk was cut to the limit", () => {
    expect(joinOutput([chunk(0, "tail", true)])).toEqual({ text: "tail", truncated: true });
  });

  test("no chunks is no text", () => {
    expect(joinOutput([])).toEqual({ text: "", truncated: false });
  });

  test("takes the stored documents as they are", () => {
    const stored = RunOutputChunk.parse({
      runId: "K7Q2MX",
      attempt: 1,
      seq: 0,
      text: "héllo",
      bytes: 6,
      at: "2026-12-01T12:00:00.000Z",
    });

    expect(joinOutput([stored])).toEqual({ text: "héllo", truncated: false });
  });
});

describe(readOutputChunks.name, () => {
  const stored = {
    runId: "K7Q2MX",
    attempt: 1,
    seq: 0,
    text: "ok",
    bytes: 2,
    at: "2026-12-01T12:00:00.000Z",
  };

  test("keeps the documents that are chunks and counts the others", () => {
    const read = readOutputChunks([stored, { ...stored, seq: "1" }, null, { ...stored, seq: 2 }]);

    expect(read.chunks.map((c) => c.seq)).toEqual([0, 2]);
    expect(read.invalid).toBe(2);
  });
});

describe(outputAttempts.name, () => {
  test("lists each stored attempt once, ascending, ignoring what is not an attempt", () => {
    expect(outputAttempts([3, 1, "2", 0, 1.5, null, 2, 3])).toEqual([1, 2, 3]);
  });
});

describe(lastLines.name, () => {
  test("a text that fits is the text, without its trailing line breaks", () => {
    expect(lastLines("one\ntwo\n\n", 100)).toBe("one\ntwo");
  });

  test("keeps the last whole lines that fit after a leading … line", () => {
    expect(lastLines("first\nsecond\nthird\nfourth", 16)).toBe(`${OMITTED_LINES}\nthird\nfourth`);
  });

  test("counts the … line and every line break in the budget", () => {
    expect(lastLines("aaaa\nbbbb\ncccc", 11)).toBe(`${OMITTED_LINES}\nbbbb\ncccc`);
    expect(lastLines("aaaa\nbbbb\ncccc", 10)).toBe(`${OMITTED_LINES}\ncccc`);
  });

  test("reads Windows line breaks as line breaks", () => {
    expect(lastLines("a\r\nb\r\n", 10)).toBe("a\nb");
  });

  test("shows the end of a last line too long to fit whole", () => {
    expect(lastLines(`start\n${"x".repeat(50)}end`, 10)).toBe(`${OMITTED_LINES}\nxxxxxend`);
  });

  test("never starts inside a character made of two UTF-16 units", () => {
    expect(lastLines(`start\n${"😀".repeat(10)}`, 7)).toBe(`${OMITTED_LINES}\n😀😀`);
  });

  test("marks a text that lacks its start even when all of it fits", () => {
    expect(lastLines("tail of a line\nlast", 100, true)).toBe(
      `${OMITTED_LINES}\ntail of a line\nlast`,
    );
  });

  test("an empty text is empty, or … when it is known to lack its start", () => {
    expect(lastLines("", 10)).toBe("");
    expect(lastLines("\n\n", 10, true)).toBe(OMITTED_LINES);
  });

  test("never exceeds the budget, and shows the text's own last lines", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, "")),
          {
            maxLength: 20,
          },
        ),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        (lines, maxChars, truncated) => {
          const text = lines.join("\n");
          const shown = lastLines(text, maxChars, truncated);

          expect(shown.length).toBeLessThanOrEqual(maxChars);
          const marked = shown === OMITTED_LINES || shown.startsWith(`${OMITTED_LINES}\n`);
          const body = marked ? shown.slice(OMITTED_LINES.length + 1) : shown;
          expect(text.replace(/\n+$/, "").endsWith(body)).toBe(true);
        },
      ),
    );
  });
});
