// expect: monitoring/timing-delta
declare function recordDuration(route: string, ms: number): void;
declare function work(): Promise<void>;

export async function handle(route: string): Promise<void> {
  const start = Date.now();
  await work();
  recordDuration(route, Date.now() - start);
}
