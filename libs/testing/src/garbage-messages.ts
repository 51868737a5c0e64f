import type { GetMessage, Options } from "amqplib";
import fc from "fast-check";
import { expect } from "vitest";

/** A message as published: bytes and AMQP properties. */
export interface RawMessage {
  content: Buffer;
  properties: Options.Publish;
}

export interface GarbageOptions {
  /**
   * The properties of a message the consumer accepts. Each of its messageId,
   * type and correlationId, and each of its headers, must be required by the
   * receiver: breaking any one makes the message invalid.
   */
  validProperties: Options.Publish;
  /** A body the consumer accepts, sent with properties broken in at least one way. */
  validBody: Buffer;
}

/** Text that fits in an AMQP short string (255 bytes) whatever its characters. */
const shortText = fc.string({ unit: "binary", maxLength: 50 });

/**
 * Header names a publisher could send and the broker leaves alone (not CC or
 * BCC, which route copies, nor the x-death family the broker keeps).
 */
const headerName = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 20 }).map((name) => `x-fuzz-${name}`),
  fc.constantFrom("x-schema-version", "x-occurred-at", "x-causation-id", "type", ""),
);

/** Header values amqplib can encode (it sends any number of 2^50 or more as a 64-bit integer). */
const headerScalar = fc.oneof(
  shortText,
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, min: -(2 ** 49), max: 2 ** 49 }),
);
const headerValue = fc.oneof(
  headerScalar,
  fc.array(headerScalar, { maxLength: 3 }),
  fc.dictionary(shortText, headerScalar, { maxKeys: 3 }),
);

const anyProperties: fc.Arbitrary<Options.Publish> = fc.record(
  {
    contentType: fc.oneof(fc.constant("application/json"), shortText),
    contentEncoding: shortText,
    messageId: shortText,
    type: shortText,
    correlationId: shortText,
    timestamp: fc.nat(),
    appId: shortText,
    persistent: fc.boolean(),
    headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);

const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 3 }).map((text) => Buffer.from(text)),
  fc.string({ unit: "binary", maxLength: 500 }).map((text) => Buffer.from(text)),
  // Over the 256 kB a consumer takes by default.
  fc.constant(Buffer.alloc(300 * 1024, "{")),
);

/** The valid properties with exactly one required part missing, empty or of the wrong type. */
function broken(valid: Options.Publish): fc.Arbitrary<Options.Publish> {
  const headers = (valid.headers ?? {}) as Record<string, unknown>;
  const withHeader = (name: string, value: unknown) => {
    const changed: Record<string, unknown> = { ...headers, [name]: value };
    if (value === undefined) delete changed[name];
    return { ...valid, headers: changed };
  };
  const fields = ["messageId", "type", "correlationId"] as const;
  const breakages = [
    fc.tuple(fc.constantFrom(...fields), fc.constantFrom(undefined, "")).map(([field, value]) => {
      const changed = { ...valid, [field]: value };
      if (value === undefined) delete changed[field];
      return changed;
    }),
    fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }).map((type) => ({
      ...valid,
      type: `fuzz-${type}`,
    })),
  ];
  const names = Object.keys(headers);
  if (names.length === 0) return fc.oneof(...breakages);
  const header = fc
    .tuple(fc.constantFrom(...names), fc.constantFrom(undefined, {}, "x", -1))
    .map(([name, value]) => withHeader(name, value));
  return fc.oneof(...breakages, header);
}

/**
 * Messages a consumer can never process: any bytes with any or no
 * properties; a valid envelope around bytes that are no valid body; a valid
 * body in an envelope with one required part broken.
 */
export function garbageMessages(options: GarbageOptions): fc.Arbitrary<RawMessage> {
  return fc.oneof(
    fc.record({ content: anyBytes, properties: anyProperties }),
    fc.record({ content: anyBytes, properties: fc.constant(options.validProperties) }),
    fc.record({
      content: fc.constant(options.validBody),
      properties: broken(options.validProperties),
    }),
  );
}

/** The header that tells which property run a message belongs to. */
const RUN_HEADER = "x-fuzz-run";

/** The message with a header naming its run, so dead letters of an earlier (failed) run are told apart. */
export function tagRun(message: RawMessage, run: number): RawMessage {
  const headers = { ...(message.properties.headers as Record<string, unknown>), [RUN_HEADER]: run };
  return { content: message.content, properties: { ...message.properties, headers } };
}

type Take = (queue: string) => Promise<GetMessage>;

/**
 * Takes the dead letters of this run's batch from `queue` (skipping any left
 * by earlier runs) and checks they are the batch's messages, unchanged, each
 * with a non-empty reason in `reasonHeader`.
 */
export async function expectDeadLettered(
  take: Take,
  queue: string,
  batch: RawMessage[],
  run: number,
  reasonHeader: string,
): Promise<void> {
  const dead: GetMessage[] = [];
  while (dead.length < batch.length) {
    const message = await take(queue);
    if (message.properties.headers?.[RUN_HEADER] === run) dead.push(message);
  }
  const contents = (messages: { content: Buffer }[]) =>
    messages.map((m) => m.content.toString("base64")).sort();
  expect(contents(dead)).toEqual(contents(batch));
  for (const message of dead) {
    expect(message.properties.headers?.[reasonHeader]).toMatch(/\S/);
  }
}
