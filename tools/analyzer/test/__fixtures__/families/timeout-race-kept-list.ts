// Races whose list is kept in a local: a drain that gives up after a grace period (the timer side
// pushed only when a limit is set), and a wait whose timer side is written into the list.
// expect: response/timeout-race 10-15 elim 4 "`Promise.race` of the work against a timer"
// expect: response/timeout-race 23-30 elim 8 "`Promise.race` of the work against a timer"
export async function settleAll(
  pending: Set<Promise<unknown>>,
  graceMs: number | undefined,
): Promise<boolean> {
  const contenders: Promise<boolean>[] = [Promise.allSettled([...pending]).then(() => true)];
  if (graceMs !== undefined) {
    contenders.push(new Promise<boolean>((done) => setTimeout(() => done(false), graceMs)));
  }
  let settled: boolean;
  try {
    settled = await Promise.race(contenders);
  } finally {
    pending.clear();
  }
  return settled;
}

export function whenReady(ready: Promise<void>, onReady: () => void): void {
  let guard: ReturnType<typeof setTimeout> | undefined;
  const outcomes = [
    new Promise<void>((done) => (guard = setTimeout(done, 10000))),
    ready.then(() => clearTimeout(guard)),
  ];
  Promise.race(outcomes)
    .then(() => onReady())
    .catch(() => undefined);
}
