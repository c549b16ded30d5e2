// Hand-rolled request counters and latency percentiles, rendered as Prometheus-ish text.

const counters: Record<string, number> = {};
const durations: Record<string, number[]> = {};

export function countRequest(route: string, status: number): void {
  const key = `${route}|${status}`;
  counters[key] = (counters[key] ?? 0) + 1;
}

export function recordDuration(route: string, ms: number): void {
  (durations[route] ??= []).push(ms);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, index)] ?? 0;
}

export function renderMetrics(): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(counters)) {
    const [route, status] = key.split("|");
    lines.push(`http_requests_total{route="${route}",status="${status}"} ${value}`);
  }
  for (const [route, values] of Object.entries(durations)) {
    lines.push(`http_request_duration_ms_p50{route="${route}"} ${percentile(values, 50)}`);
    lines.push(`http_request_duration_ms_p99{route="${route}"} ${percentile(values, 99)}`);
  }
  return lines.join("\n") + "\n";
}
