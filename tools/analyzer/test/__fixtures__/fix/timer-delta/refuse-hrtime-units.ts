// The seconds are made milliseconds, the nanoseconds microseconds: not one unit.
export function mixedUnits(work: () => void): number {
  const start = process.hrtime();
  work();
  const [s, ns] = process.hrtime(start);
  return s * 1e3 + ns / 1e3;
}
