import type { TierInvalidation } from "@perflayer/cache";

/** A message on the tier's channel: an invalidation, or a "loaded" notice for waiters. */
export interface TierMessage {
  /** The sending process. */
  readonly origin: string;
  /** The cache it concerns. */
  readonly cache: string;
  /** An invalidation (keys as members: `s:…` / `n:…`). */
  readonly change?: TierInvalidation<unknown>;
  /** The member whose load finished (stored or given up). */
  readonly loaded?: string;
}

/**
 * @param origin - the sending process
 * @param cache - the cache
 * @param change - the invalidation (a key change carries the member)
 * @returns the message text
 */
export function invalidationMessage(
  origin: string,
  cache: string,
  change: TierInvalidation<string>,
): string {
  const arg =
    change.kind === "key"
      ? change.key
      : change.kind === "tag"
        ? change.tag
        : change.kind === "prefix"
          ? change.prefix
          : "";
  return JSON.stringify([origin, cache, change.kind, arg]);
}

/**
 * @param origin - the sending process
 * @param cache - the cache
 * @param member - the key's member
 * @returns the "loaded" notice text
 */
export function loadedMessage(origin: string, cache: string, member: string): string {
  return JSON.stringify([origin, cache, "loaded", member]);
}

/**
 * The cache key a member stands for: `s:abc` is `"abc"`, `n:42` is `42`.
 * @param member - a member
 * @returns the key
 */
export function keyOfMember(member: string): string | number {
  return member.startsWith("n:") ? Number(member.slice(2)) : member.slice(2);
}

/**
 * Reads a message; anything malformed (another tool on the channel) is ignored.
 * @param raw - the message text
 * @returns the message, or undefined
 */
export function decodeMessage(raw: string): TierMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [origin, cache, kind, arg] = parsed as unknown[];
  if (typeof origin !== "string" || typeof cache !== "string" || typeof arg !== "string")
    return undefined;
  switch (kind) {
    case "loaded":
      return { origin, cache, loaded: arg };
    case "key":
      return { origin, cache, change: { kind, key: keyOfMember(arg) } };
    case "tag":
      return { origin, cache, change: { kind, tag: arg } };
    case "prefix":
      return { origin, cache, change: { kind, prefix: arg } };
    case "clear":
      return { origin, cache, change: { kind } };
    default:
      return undefined;
  }
}
