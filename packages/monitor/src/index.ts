export { PerformanceMonitor } from "./performance-monitor.js";
export type { PerformanceMonitorOptions } from "./performance-monitor.js";
export type {
  CounterSeriesSnapshot,
  CounterSnapshot,
  GaugeSeriesSnapshot,
  HistogramSeriesSnapshot,
  GaugeSnapshot,
  HistogramSnapshot,
  MonitorSnapshot,
} from "./monitor-snapshot.js";
export type { AlertStatus } from "./alert-evaluator.js";
export { CounterMetric } from "./counter-metric.js";
export type { CounterIncArgs } from "./counter-metric.js";
export { GaugeMetric } from "./gauge-metric.js";
export type { GaugeSetArgs } from "./gauge-metric.js";
export { HistogramMetric, bucketQuantile } from "./histogram-metric.js";
export type { HistogramFigures, ObserveArgs, WindowSummary } from "./histogram-metric.js";
export { OVERFLOW_LABEL_VALUE } from "./metric-family.js";
export type {
  AlertEvent,
  AlertExpression,
  AlertOperator,
  AlertQuery,
  AlertRuleOptions,
  AlertStat,
  AlertState,
} from "./alert-rule.js";
export { callbackSink, loggerSink, webhookSink } from "./alert-sinks.js";
export type { AlertLogger, AlertSink, WebhookSinkOptions } from "./alert-sinks.js";
export { Slo } from "./slo.js";
export type { BurnRateWindow, SloOptions, SloStatus } from "./slo.js";
export type { EventLoopDelayOptions, RuntimeMetricsOptions } from "./runtime-metrics.js";
export { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from "./exposition.js";
export { listen, metricsHandler } from "./metrics-server.js";
export type { ListenOptions, MetricsHandler, MetricsServer } from "./metrics-server.js";
export { MetricsAggregator, DEFAULT_GAUGE_AGGREGATIONS } from "./metrics-aggregator.js";
export type { MetricsAggregatorOptions, WorkerStatus } from "./metrics-aggregator.js";
export type { GaugeAggregation } from "./aggregated-metric.js";
export { MetricsReporter } from "./metrics-reporter.js";
export type { MetricsReporterOptions } from "./metrics-reporter.js";
export { METRICS_REPORT_KIND, isMetricsReport, metricsReport } from "./metrics-report.js";
export type {
  MetricsReport,
  ReportedCounter,
  ReportedGauge,
  ReportedHistogram,
  ReportedMetric,
} from "./metrics-report.js";
