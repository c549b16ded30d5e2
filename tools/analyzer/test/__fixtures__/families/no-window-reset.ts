// A count of warnings kept per ten-minute window: when the window has passed the count is reset
// and the window restarted. The gate lets nothing through and holds nothing back: not a throttle.
// expect: none
let warnings = 0;
let lastReset = 0;

export function warned(): number {
  if (Date.now() >= lastReset + 10 * 60 * 1000) {
    lastReset = Date.now();
    warnings = 0;
  }
  return ++warnings;
}
