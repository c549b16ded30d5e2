// expect: monitoring/ad-hoc-metrics
const counters: Record<string, number> = {};

export function countRequest(route: string, status: number): void {
  const key = `${route}|${status}`;
  counters[key] = (counters[key] ?? 0) + 1;
}

export function snapshot(): Record<string, number> {
  return { ...counters };
}
