import { describe, expect, test } from "vitest";
import { createBoundedText, lastUtf8Bytes, utf8Bytes } from "./bounded-text.js";

describe(lastUtf8Bytes.name, () => {
  test("a text within the bytes is the text", () => {
    expect(lastUtf8Bytes("héllo", 6)).toBe("héllo");
  });

  test("keeps the end and never starts inside a character", () => {
    expect(lastUtf8Bytes("€€€", 7)).toBe("€€");
    expect(lastUtf8Bytes("a😀b", 5)).toBe("😀b");
    expect(lastUtf8Bytes("a😀b", 4)).toBe("b");
    expect(lastUtf8Bytes(`${"x".repeat(10_000)}😀😀`, 6)).toBe("😀");
  });
});

describe(createBoundedText.name, () => {
  test("hands out what was written, in order, once", () => {
    const buffer = createBoundedText(100);
    buffer.append("one ");
    buffer.append("");
    buffer.append("two");

    expect(buffer.take()).toEqual({ text: "one two", bytes: 7, cut: false });
    expect(buffer.take()).toBeNull();
  });

  test("past the limit drops the oldest text, on a character boundary, and says so", () => {
    const buffer = createBoundedText(10);
    buffer.append("old text ");
    buffer.append("€€€€");

    expect(buffer.bytes).toBeLessThanOrEqual(10);
    expect(buffer.take()).toEqual({ text: "€€€", bytes: 9, cut: true });
  });

  test("holds at most the limit however many small writes come", () => {
    const buffer = createBoundedText(1000);
    for (let i = 0; i < 10_000; i++) buffer.append(`${i % 10}`);

    const taken = buffer.take();
    expect(taken?.bytes).toBe(1000);
    expect(taken && utf8Bytes(taken.text)).toBe(1000);
    expect(taken?.text.endsWith("6789")).toBe(true);
    expect(taken?.cut).toBe(true);
  });
});
