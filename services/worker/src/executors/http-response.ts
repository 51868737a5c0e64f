import type { Logger } from "pino";
import type { OutputSink } from "./job-executor.js";
import { FirstLine } from "./output-lines.js";

/** Of a response body, at most this much is read; the rest is left unread. */
export const RESPONSE_LIMIT_BYTES = 1024 * 1024;

/**
 * Writes the response body to `output` as it comes, up to
 * RESPONSE_LIMIT_BYTES, and gives its first non-empty line. The status is the
 * receiver's verdict, so a body cut short (the connection lost, the time up)
 * only shortens the output; the caller checks its own signal for an abort.
 */
export async function readResponseBody(
  response: Response,
  output: OutputSink,
  log: Logger,
): Promise<string> {
  // undici types the body's chunks as any; they are bytes.
  const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array> | undefined;
  if (reader === undefined) return "";
  const firstLine = new FirstLine();
  const decoder = new TextDecoder();
  const emit = (text: string) => {
    if (text === "") return;
    firstLine.push(text);
    output.write(text);
  };
  let unread = RESPONSE_LIMIT_BYTES;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const kept = value.byteLength > unread ? value.subarray(0, unread) : value;
      unread -= kept.byteLength;
      emit(decoder.decode(kept, { stream: true }));
      if (unread === 0) {
        emit(decoder.decode());
        output.write(
          `\n[only the first ${RESPONSE_LIMIT_BYTES} bytes of the response were read]\n`,
        );
        break;
      }
    }
  } catch (error) {
    log.warn({ err: error }, "the HTTP job's response was cut short");
  } finally {
    emit(decoder.decode());
    await reader.cancel().catch(() => undefined);
  }
  return firstLine.value;
}
