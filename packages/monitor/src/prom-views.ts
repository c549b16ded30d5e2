import client from "prom-client";
import type { CounterMetric } from "./counter-metric.js";
import type { GaugeMetric } from "./gauge-metric.js";
import type { HistogramMetric } from "./histogram-metric.js";

// prom-client's Registry reads a metric through `get()`. These views register perflayer's metrics in
// a real prom-client Registry (so `registry.metrics()`, `getMetricsAsJSON()`, `Registry.merge()` and
// the Pushgateway see them) while the values live in perflayer's preallocated storage. The base
// constructor calls `reset()` before subclass fields exist, hence the optional `family`.

type Values = client.MetricObjectWithValues<client.MetricValue<string>>;

interface Readable {
  readonly name: string;
  readonly help: string;
  promValues(): client.MetricValue<string>[];
  clear(): void;
}

function read(family: Readable | undefined, type: client.MetricType): Promise<Values> {
  return Promise.resolve({
    name: family?.name ?? "",
    help: family?.help ?? "",
    type,
    aggregator: "sum",
    collect: () => undefined,
    values: family?.promValues() ?? [],
  });
}

/** @internal */
export class CounterView extends client.Counter {
  family: CounterMetric<string> | undefined;
  override get(): Promise<Values> {
    return read(this.family, "counter" as unknown as client.MetricType);
  }
  override reset(): void {
    this.family?.clear();
  }
}

/** @internal */
export class GaugeView extends client.Gauge {
  family: GaugeMetric<string> | undefined;
  override get(): Promise<Values> {
    this.family?.collect();
    return read(this.family, "gauge" as unknown as client.MetricType);
  }
  override reset(): void {
    this.family?.clear();
  }
}

/** @internal */
export class HistogramView extends client.Histogram {
  family: HistogramMetric<string> | undefined;
  override get(): Promise<Values> {
    return read(this.family, "histogram" as unknown as client.MetricType);
  }
  /** prom-client's registry prefers this method for histograms when rendering text. */
  getForPromString(): Promise<Values> {
    return this.get();
  }
  override reset(): void {
    this.family?.clear();
  }
}
