import { PerflayerConfigError, formatExpected } from "@perflayer/core";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Asserts a valid Prometheus metric name.
 * @param name - the name received
 * @returns the name
 */
export function assertMetricName(name: unknown): string {
  if (typeof name !== "string" || !METRIC_NAME.test(name)) {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({
        name: "name",
        expected: "a Prometheus metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*",
        got: name,
        fix: 'Use snake_case with a unit suffix, e.g. "http_request_duration_seconds".',
        context: "PerformanceMonitor",
      }),
    );
  }
  return name;
}

/**
 * Asserts valid, unique label names (`le` and `quantile` are reserved, `__` prefixes too).
 * @param metric - the metric name, for messages
 * @param labelNames - the names received
 * @param reserved - names this metric type reserves
 * @returns the names
 */
export function assertLabelNames(
  metric: string,
  labelNames: unknown,
  reserved: readonly string[] = [],
): readonly string[] {
  if (labelNames === undefined) return [];
  if (!Array.isArray(labelNames)) {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({
        name: "labelNames",
        expected: "an array of strings",
        got: labelNames,
        fix: 'Pass e.g. labelNames: ["route", "method"].',
        context: `metric ${metric}`,
      }),
    );
  }
  const seen = new Set<string>();
  for (const label of labelNames as unknown[]) {
    const bad =
      typeof label !== "string" ||
      !LABEL_NAME.test(label) ||
      label.startsWith("__") ||
      reserved.includes(label) ||
      seen.has(label);
    if (bad) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "labelNames",
          expected: `unique label names matching [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"${reserved.length > 0 ? ` and not ${reserved.map((r) => `"${r}"`).join(" or ")}` : ""}`,
          got: label,
          fix: "Rename the label.",
          context: `metric ${metric}`,
        }),
      );
    }
    seen.add(label);
  }
  return labelNames as readonly string[];
}

/**
 * Escapes a label value for the text exposition formats.
 * @param value - raw label value
 * @returns the escaped value
 */
export function escapeLabelValue(value: string): string {
  return /[\\\n"]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')
    : value;
}

/**
 * Escapes HELP text.
 * @param help - raw help text
 * @returns the escaped text
 */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/**
 * Formats a sample value as Prometheus does (`+Inf`, `-Inf`, `NaN`).
 * @param value - the number
 * @returns its text form
 */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "+Inf" : "-Inf";
}

/**
 * Renders `{a="x",b="y"}` (or `""` without labels).
 * @param names - label names
 * @param values - label values in the same order
 * @param extra - one more label appended, e.g. `le="0.1"`
 * @returns the label block
 */
export function labelBlock(
  names: readonly string[],
  values: readonly string[],
  extra?: string,
): string {
  const parts: string[] = [];
  for (let i = 0; i < names.length; i++)
    parts.push(`${names[i] as string}="${escapeLabelValue(values[i] as string)}"`);
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}
