// Build time measured from a start mark and logged; the helper reads the clock.
// expect: monitoring/timer-delta 6-8 elim 2 "start mark"
const now = (): number => performance.now();

export async function build(compile: () => Promise<void>, log: (message: string) => void): Promise<void> {
  const started = now();
  await compile();
  log(`built in ${(now() - started).toFixed(1)} ms`);
}
