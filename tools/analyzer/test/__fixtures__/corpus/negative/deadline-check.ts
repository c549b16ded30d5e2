// A delta only compared with a timeout: a deadline check, not monitoring.
export function waitUntil(ready: () => boolean, timeoutMs: number): boolean {
  const start = Date.now();
  while (!ready()) {
    if (Date.now() - start > timeoutMs) return false;
  }
  return true;
}
