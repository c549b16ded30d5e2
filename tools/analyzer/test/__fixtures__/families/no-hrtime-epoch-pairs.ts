// A time input normalised to epoch milliseconds: a [seconds, nanoseconds] pair, a number or a Date
// handed in — a point in time in any of its forms, converted, not a span timed.
// expect: none
export type TimeInput = [number, number] | number | Date;

export function epochMillis(input: TimeInput): number {
  if (Array.isArray(input)) return input[0] * 1e3 + input[1] / 1e6;
  if (input instanceof Date) return input.getTime();
  return input;
}
