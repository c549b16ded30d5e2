// A query's duration goes to a histogram and is also checked against a threshold that logs a
// warning: the check and its warning are the timer's too (an alert after a migration).
// expect: monitoring/slow-op-timer 9-13 elim 3 "after a threshold check"
export async function query(
  run: () => Promise<unknown[]>,
  observe: (ms: number) => void,
  warn: (message: string) => void,
): Promise<unknown[]> {
  const startedAt = Date.now();
  const rows = await run();
  const elapsedMs = Date.now() - startedAt;
  observe(elapsedMs);
  if (elapsedMs > 1000) warn(`slow query: ${elapsedMs} ms`);
  return rows;
}
