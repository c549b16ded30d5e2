/** The OpenTelemetry name and unit of a Prometheus-named metric. */
export interface OtelName {
  /** The metric's OpenTelemetry name. */
  readonly name: string;
  /** Its UCUM unit (`s`, `By`, `1`), or `""` when the name carries none. */
  readonly unit: string;
}

/** Prometheus base-unit suffixes (ARCHITECTURE's metric names) and their UCUM units. */
const UNITS: readonly (readonly [suffix: string, unit: string])[] = [
  ["_seconds", "s"],
  ["_bytes", "By"],
  ["_ratio", "1"],
];

/**
 * Maps a Prometheus-style metric name to OpenTelemetry, following the OpenTelemetry specification's
 * Prometheus compatibility rules so that an OpenTelemetry Prometheus exporter (or the Collector)
 * gives the metric back its perflayer name: a counter loses `_total` (exporters append it to
 * monotonic sums); the unit comes from the base-unit suffix, which stays in the name (exporters
 * append a unit only when the name does not already end with it).
 *
 * @example
 * ```ts
 * otelName("perflayer_cache_requests_total", "counter"); // { name: "perflayer_cache_requests", unit: "" }
 * otelName("perflayer_cache_load_duration_seconds", "histogram"); // { name: "…_seconds", unit: "s" }
 * ```
 * @param name - the Prometheus name
 * @param type - the metric's type
 * @returns the OpenTelemetry name and unit
 */
export function otelName(name: string, type: "counter" | "gauge" | "histogram"): OtelName {
  const base = type === "counter" ? name.replace(/_total$/, "") : name;
  const unit = UNITS.find(([suffix]) => base.endsWith(suffix))?.[1] ?? "";
  return { name: base, unit };
}
