// The end of a request is stamped, then the phases are worked out from it in the `if` below: the
// stamp is the timer's end mark.
// expect: monitoring/timer-delta 13-15 elim 2 "elapsed time `timings.end - timings.star"
interface Timings {
  start: number;
  response?: number;
  end?: number;
  phases: { download?: number; total?: number };
}

export function finish(timings: Timings | undefined): void {
  if (timings && timings.end === undefined && timings.response !== undefined) {
    timings.end = Date.now();
    if (timings.phases.total === undefined) {
      timings.phases.total = timings.end - timings.start;
    }
  }
}
