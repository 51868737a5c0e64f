/** UTF-8 bytes of a text, as MongoDB stores it. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** The end of `text` that fits in `maxBytes` of UTF-8, starting on a character boundary. */
export function lastUtf8Bytes(text: string, maxBytes: number): string {
  // Each UTF-16 unit is at least one byte: the last maxBytes units hold the answer.
  let end = text.length > maxBytes ? text.slice(text.length - maxBytes) : text;
  if (end !== text && isLowSurrogate(end.charCodeAt(0))) end = end.slice(1);
  const encoded = Buffer.from(end, "utf8");
  if (encoded.length <= maxBytes) return end;
  let start = encoded.length - Math.max(0, maxBytes);
  while (start < encoded.length && isContinuationByte(encoded[start] ?? 0)) start++;
  return encoded.subarray(start).toString("utf8");
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isContinuationByte = (byte: number) => (byte & 0b1100_0000) === 0b1000_0000;

export interface TakenText {
  text: string;
  bytes: number;
  /** Text written before `text` was dropped to stay within the limit. */
  cut: boolean;
}

/** Small writes are joined into pieces of about this size, so many tiny writes cost few objects. */
const PIECE_BYTES = 4096;

/**
 * Text written and not yet taken, at most `limitBytes` of it: past the limit
 * the oldest text goes, so a slow database never makes a job's output pile up.
 */
export function createBoundedText(limitBytes: number) {
  let pieces: { text: string; bytes: number }[] = [];
  let bytes = 0;
  let cut = false;

  function dropOldest() {
    while (bytes > limitBytes) {
      const first = pieces[0];
      if (!first) break;
      const excess = bytes - limitBytes;
      if (first.bytes <= excess) {
        pieces.shift();
        bytes -= first.bytes;
      } else {
        const text = lastUtf8Bytes(first.text, first.bytes - excess);
        const kept = utf8Bytes(text);
        bytes -= first.bytes - kept;
        if (kept > 0) pieces[0] = { text, bytes: kept };
        else pieces.shift();
      }
      cut = true;
    }
  }

  return {
    get bytes() {
      return bytes;
    },
    /** Whether text was dropped since the last take. */
    get cut() {
      return cut;
    },
    append(text: string): void {
      const size = utf8Bytes(text);
      if (size === 0) return;
      const last = pieces.at(-1);
      if (last && last.bytes < PIECE_BYTES) {
        last.text += text;
        last.bytes += size;
      } else {
        pieces.push({ text, bytes: size });
      }
      bytes += size;
      dropOldest();
    },
    /** Everything held, emptying the buffer; null when it holds nothing. */
    take(): TakenText | null {
      if (bytes === 0) return null;
      const taken = { text: pieces.map((p) => p.text).join(""), bytes, cut };
      pieces = [];
      bytes = 0;
      cut = false;
      return taken;
    },
  };
}

export type BoundedText = ReturnType<typeof createBoundedText>;
