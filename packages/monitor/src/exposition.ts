import type client from "prom-client";
import { escapeHelp, formatValue, labelBlock } from "./metric-names.js";

/** Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
/** OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE =
  "application/openmetrics-text; version=1.0.0; charset=utf-8";

/**
 * Picks the exposition format from an HTTP `Accept` header.
 * @param accept - the header, if any
 * @returns true for OpenMetrics
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes("application/openmetrics-text");
}

/**
 * Renders a metric read from prom-client (`metric.get()`), for metrics registered directly in the
 * registry (default metrics, a service's own prom-client metrics).
 * @internal
 */
export function renderForeign(
  out: string[],
  metric: client.MetricObjectWithValues<client.MetricValue<string>>,
  openMetrics: boolean,
): void {
  const type = String(metric.type);
  const isCounter = type === "counter";
  const family = openMetrics && isCounter ? metric.name.replace(/_total$/, "") : metric.name;
  out.push(`# HELP ${family} ${escapeHelp(metric.help)}\n# TYPE ${family} ${type}\n`);
  for (const sample of metric.values) {
    const withName = sample as client.MetricValue<string> & { metricName?: string };
    let name = withName.metricName ?? metric.name;
    if (openMetrics && isCounter) name = `${family}_total`;
    const labels = (sample.labels ?? {}) as Record<string, string | number>;
    const names = Object.keys(labels);
    const text = labelBlock(
      names,
      names.map((n) => String(labels[n])),
    );
    out.push(`${name}${text} ${formatValue(sample.value)}\n`);
  }
}
