// Slow serialisations are logged with their duration.
// expect: monitoring/slow-op-timer 4-7 elim 3 "after a threshold check"
export function serialize(value: unknown, warn: (message: string) => void): string {
  const start = process.hrtime.bigint();
  const text = JSON.stringify(value);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (ms > 50) warn(`serialising took ${ms} ms`);
  return text;
}
