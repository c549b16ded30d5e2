import type { Codec } from "./codec.js";

/** What the second tier stores per key: the value's bytes with its expiry and tags. */
export interface Envelope {
  /** The decoded value. */
  readonly value: unknown;
  /** Wall-clock expiry in epoch ms, `0` for none. */
  readonly expiresAt: number;
  /** The entry's tags. */
  readonly tags: readonly string[] | undefined;
}

const VERSION = 1;
const HEADER = 1 + 8 + 4;

/**
 * Lays out one entry: version (1 byte), expiry (float64, epoch ms), tag-list length (uint32), the
 * tags as JSON, then the codec's bytes. The expiry travels with the value so that a reader learns
 * the remaining TTL in the same round trip as the value.
 * @param payload - the codec's bytes
 * @param expiresAt - epoch ms, `0` for none
 * @param tags - the entry's tags
 * @returns the stored bytes
 */
export function packEnvelope(
  payload: Uint8Array,
  expiresAt: number,
  tags: readonly string[] | undefined,
): Buffer {
  const tagBytes =
    tags === undefined || tags.length === 0 ? undefined : Buffer.from(JSON.stringify(tags));
  const tagLength = tagBytes?.length ?? 0;
  const bytes = Buffer.allocUnsafe(HEADER + tagLength + payload.length);
  bytes.writeUInt8(VERSION, 0);
  bytes.writeDoubleLE(expiresAt, 1);
  bytes.writeUInt32LE(tagLength, 9);
  if (tagBytes !== undefined) tagBytes.copy(bytes, HEADER);
  bytes.set(payload, HEADER + tagLength);
  return bytes;
}

/**
 * Reads what {@link packEnvelope} wrote.
 * @param bytes - the stored bytes
 * @param codec - decodes the payload
 * @returns the entry, or `undefined` when the bytes are not an envelope of this version
 */
export function unpackEnvelope(bytes: Buffer, codec: Codec): Envelope | undefined {
  if (bytes.length < HEADER || bytes.readUInt8(0) !== VERSION) return undefined;
  const tagLength = bytes.readUInt32LE(9);
  if (HEADER + tagLength > bytes.length) return undefined;
  const tags =
    tagLength === 0
      ? undefined
      : (JSON.parse(bytes.toString("utf8", HEADER, HEADER + tagLength)) as string[]);
  return {
    value: codec.decode(bytes.subarray(HEADER + tagLength)),
    expiresAt: bytes.readDoubleLE(1),
    tags,
  };
}
