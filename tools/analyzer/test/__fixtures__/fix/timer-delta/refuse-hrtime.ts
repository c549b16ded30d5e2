// A process.hrtime() tuple: the seconds/nanoseconds arithmetic is the code's own.
export function timed(work: () => void): void {
  const start = process.hrtime();
  work();
  const [s, ns] = process.hrtime(start);
  console.log(`work took ${s * 1e3 + ns / 1e6} ms`);
}
