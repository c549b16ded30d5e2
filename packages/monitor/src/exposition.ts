import type client from "prom-client";
import { CounterMetric } from "./counter-metric.js";
import { GaugeMetric } from "./gauge-metric.js";
import type { MetricFamilies } from "./metric-families.js";
import { escapeHelp, formatValue, labelBlock } from "./metric-names.js";
import { CounterView, GaugeView, HistogramView } from "./prom-views.js";

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

/**
 * The exposition of every metric in the registry: perflayer's rendered from precomputed label
 * text, others (default metrics, a service's own prom-client metrics) read through prom-client.
 * @internal
 * @param families - the monitor's metrics
 * @param registry - the prom-client registry they are registered in, with any others
 * @param openMetrics - OpenMetrics 1.0.0 instead of Prometheus text 0.0.4
 * @returns the exposition text
 */
export async function renderExposition(
  families: MetricFamilies,
  registry: client.Registry,
  openMetrics: boolean,
): Promise<string> {
  const out: string[] = [];
  for (const family of families.values()) {
    if (family instanceof GaugeMetric) family.collect();
    if (family.seriesCount === 0) continue;
    if (family instanceof CounterMetric) family.render(out, openMetrics);
    else family.render(out);
  }
  for (const metric of registry.getMetricsAsArray()) {
    if (
      metric instanceof CounterView ||
      metric instanceof GaugeView ||
      metric instanceof HistogramView
    )
      continue;
    renderForeign(out, await (metric as unknown as client.Metric).get(), openMetrics);
  }
  if (openMetrics) out.push("# EOF\n");
  return out.join("");
}
