// A [seconds, nanoseconds] pair handed in as a timestamp and made into epoch milliseconds: the file
// never takes such a pair from the process clock, so no span is timed.
// expect: none
export type Pair = [number, number];

export function epochMillis(time: Pair): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

export function epochMicros(time: Pair): number {
  return Math.round(time[0] * 1e6 + time[1] / 1e3);
}
