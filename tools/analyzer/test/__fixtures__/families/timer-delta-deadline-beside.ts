// Near miss of slow-op-beside.ts: the duration is observed and also checked against a deadline
// that fails the call. That check is the caller's contract, not a warning: it stays.
// expect: monitoring/timer-delta 8-11 elim 2 "start mark"
export async function query(
  run: () => Promise<unknown[]>,
  observe: (ms: number) => void,
): Promise<unknown[]> {
  const startedAt = Date.now();
  const rows = await run();
  const elapsedMs = Date.now() - startedAt;
  observe(elapsedMs);
  if (elapsedMs > 1000) throw new Error(`Expected the query within 1000 ms, took ${elapsedMs} ms.`);
  return rows;
}
