// hrtime tuples added up into one unit: milliseconds, and nanoseconds.
export function timed(work: () => void): void {
  const start = process.hrtime();
  work();
  const [s, ns] = process.hrtime(start);
  console.log(`work took ${s * 1e3 + ns / 1e6} ms`);
}

export function sessionLength(run: () => void, record: (ns: number) => void): void {
  const startedAt = process.hrtime();
  run();
  const finishedAt = process.hrtime(startedAt);
  const delta = finishedAt[0] * 1e9 + finishedAt[1];
  record(delta);
}
