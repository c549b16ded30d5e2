export { PerflayerMetricProducer } from "./perflayer-metric-producer.js";
export type { PerflayerMetricProducerOptions } from "./perflayer-metric-producer.js";
export { otelName } from "./otel-names.js";
export type { OtelName } from "./otel-names.js";
