import { invalid } from "@perflayer/core";

/**
 * Validates a pool's name (a metric label and the reclaimer's name).
 * @param name - the value received
 * @param context - e.g. `new ObjectPool()`
 * @param example - a name to suggest
 * @returns the name
 */
export function assertPoolName(name: unknown, context: string, example: string): string {
  if (typeof name !== "string" || name.length === 0) {
    throw invalid({
      name: "name",
      expected: "a non-empty string",
      got: name,
      fix: `Pass e.g. { name: "${example}" }.`,
      context,
    });
  }
  return name;
}

/**
 * Validates an optional boolean option.
 * @param value - the value received
 * @param name - the option's name
 * @param fallback - its default
 * @param context - where it was passed
 * @returns the boolean
 */
export function optionalBoolean(
  value: unknown,
  name: string,
  fallback: boolean,
  context: string,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw invalid({
      name,
      expected: "a boolean",
      got: value,
      fix: `Pass e.g. { ${name}: ${String(fallback)} }.`,
      context,
    });
  }
  return value;
}

/**
 * Validates the `targetBytes` of a pool's `reclaim()`.
 * @param targetBytes - the value received
 * @param context - e.g. `BufferPool "io".reclaim()`
 * @returns the target
 */
export function assertTargetBytes(targetBytes: unknown, context: string): number {
  if (typeof targetBytes !== "number" || Number.isNaN(targetBytes) || targetBytes < 0) {
    throw invalid(
      { name: "targetBytes", expected: "a number >= 0", got: targetBytes, context },
      "ERR_INVALID_ARGUMENT",
    );
  }
  return targetBytes;
}
