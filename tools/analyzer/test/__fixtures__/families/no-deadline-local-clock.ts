// A deadline from a local clock reading, waited on: not a cache.
// expect: none
export async function waitUntil(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  const now = Date.now();
  const deadline = now + timeoutMs;
  while (Date.now() < deadline) {
    if (ready()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}
