/** A summary taken from output is at most this many characters. */
export const SUMMARY_MAX_CHARS = 200;

const LINE_BREAK = /[\r\n]/;

/**
 * Reads one line at a time out of text that comes in pieces, keeping of the
 * line being read only its first SUMMARY_MAX_CHARS after leading spaces, so
 * however long the output, memory stays bounded.
 */
abstract class LineReader {
  #line = "";

  push(text: string): void {
    const pieces = text.split(LINE_BREAK);
    pieces.forEach((piece, index) => {
      if (index > 0) this.#endLine();
      if (this.#line.length < SUMMARY_MAX_CHARS) {
        this.#line = clip((this.#line + piece).trimStart());
      }
    });
  }

  /** The line not yet ended by a line break, trimmed. */
  protected get unfinished(): string {
    return this.#line.trim();
  }

  protected abstract lineEnded(line: string): void;

  #endLine(): void {
    const line = this.#line.trim();
    this.#line = "";
    if (line !== "") this.lineEnded(line);
  }
}

/** The last non-empty line of some output, trimmed and clipped: "" when there is none. */
export class LastLine extends LineReader {
  #last = "";

  get value(): string {
    return this.unfinished === "" ? this.#last : this.unfinished;
  }

  protected lineEnded(line: string): void {
    this.#last = line;
  }
}

/** The first non-empty line of some output, trimmed and clipped: "" when there is none. */
export class FirstLine extends LineReader {
  #first = "";

  get value(): string {
    return this.#first === "" ? this.unfinished : this.#first;
  }

  override push(text: string): void {
    if (this.#first === "") super.push(text);
  }

  protected lineEnded(line: string): void {
    if (this.#first === "") this.#first = line;
  }
}

/** At most SUMMARY_MAX_CHARS characters, never cutting a surrogate pair in two. */
function clip(text: string): string {
  if (text.length <= SUMMARY_MAX_CHARS) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(SUMMARY_MAX_CHARS - 1))
    ? SUMMARY_MAX_CHARS - 1
    : SUMMARY_MAX_CHARS;
  return text.slice(0, end);
}
