// The tuple itself is handed on: its arithmetic is the caller's.
export function elapsedTuple(work: () => void, report: (t: [number, number]) => void): void {
  const start = process.hrtime();
  work();
  const elapsed = process.hrtime(start);
  report(elapsed);
}
