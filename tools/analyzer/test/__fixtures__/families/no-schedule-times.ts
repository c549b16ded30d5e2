// Run times of a recurring job: the start plus a multiple of the interval. A schedule, not a retry
// delay; and a buffer whose capacity doubles.
// expect: none
export function nextRuns(start: number, interval: number, count: number): number[] {
  const runs: number[] = [];
  for (let times = 1; times <= count; times++) runs.push(start + (times - 1) * interval);
  return runs;
}

export class Buffer {
  capacity = 16;

  grow(needed: number): void {
    while (this.capacity < needed) this.capacity *= 2;
  }
}
