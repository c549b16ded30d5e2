// `now` here is a parameter, not the module's alias of Date.now: it is not a clock.
const now = Date.now;

export function elapsedSince(now: () => number, started: number): void {
  const mark = now();
  console.log(`took ${Date.now() - mark} ms`, started);
}
