import { PerflayerConfigError, describeValue } from "@perflayer/core";

/** The named priority levels, highest first. */
export type PriorityName = "critical" | "high" | "normal" | "low" | "background";

/** A priority: a named level or an integer (higher runs first; `normal` is 0). */
export type Priority = PriorityName | number;

/** The integer behind each named level. */
export const PRIORITY_VALUES: Readonly<Record<PriorityName, number>> = Object.freeze({
  critical: 20,
  high: 10,
  normal: 0,
  low: -10,
  background: -20,
});

/**
 * Resolves a priority to its integer.
 * @param priority - a name or an integer
 * @param rule - the option's name, where it was passed and how to fix it, for the error message
 * @returns the integer (higher runs first)
 */
export function priorityValue(
  priority: Priority | undefined,
  rule: { readonly name: string; readonly context: string; readonly fix?: string } = {
    name: "priority",
    context: "ResponseOptimizer.run()",
  },
): number {
  if (priority === undefined) return 0;
  if (typeof priority === "number" && Number.isInteger(priority)) return priority;
  const value = typeof priority === "string" ? PRIORITY_VALUES[priority] : undefined;
  if (value === undefined) {
    throw new PerflayerConfigError(
      "ERR_INVALID_ARGUMENT",
      `${rule.context}: Expected \`${rule.name}\` to be one of "critical", "high", "normal", "low", "background" or an integer, got ${describeValue(priority)}. ${rule.fix ?? `Pass e.g. { ${rule.name}: "high" }.`}`,
    );
  }
  return value;
}

/**
 * The metric label of a priority: the level's name, or the integer as text.
 * @param value - the integer priority
 * @returns e.g. `high` or `7`
 */
export function priorityLabel(value: number): string {
  return LABELS.get(value) ?? String(value);
}

const LABELS: ReadonlyMap<number, string> = new Map(
  Object.entries(PRIORITY_VALUES).map(([name, value]) => [value, name]),
);
