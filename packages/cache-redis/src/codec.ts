import { deserialize, serialize } from "node:v8";

/**
 * Turns values into bytes for the second tier and back. Every process of a fleet must use the
 * same codec for a namespace.
 */
export interface Codec {
  /** A short name, for messages (e.g. `"json"`). */
  readonly name: string;
  /**
   * @param value - a cached value (never `undefined`)
   * @returns its bytes
   */
  encode(value: unknown): Uint8Array;
  /**
   * @param bytes - what `encode` returned (possibly in another process)
   * @returns the value
   */
  decode(bytes: Uint8Array): unknown;
}

const utf8 = new TextDecoder();

/**
 * `JSON.stringify` / `JSON.parse` as UTF-8: readable in `redis-cli`, shared with any language.
 * What JSON cannot carry is lost or refused: a `Date` comes back as a string, a `Map` as `{}`, a
 * function or `undefined` cannot be encoded (`ERR_TIER_CODEC`). Use {@link v8Codec} for those.
 */
export const jsonCodec: Codec = Object.freeze({
  name: "json",
  encode(value: unknown): Uint8Array {
    const text: unknown = JSON.stringify(value);
    if (typeof text !== "string") throw new TypeError(`JSON cannot encode a ${typeof value}`);
    return Buffer.from(text);
  },
  decode(bytes: Uint8Array): unknown {
    return JSON.parse(utf8.decode(bytes));
  },
});

/**
 * Node's structured serialisation (`v8.serialize`): `Date`, `Map`, `Set`, typed arrays, `BigInt`,
 * cycles and `undefined` inside objects survive. Node processes only, of compatible versions.
 */
export const v8Codec: Codec = Object.freeze({
  name: "v8",
  encode(value: unknown): Uint8Array {
    return serialize(value);
  },
  decode(bytes: Uint8Array): unknown {
    return deserialize(bytes) as unknown;
  },
});
