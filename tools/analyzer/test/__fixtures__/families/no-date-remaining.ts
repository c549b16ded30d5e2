// The time left until a token expires or a timer ends: a later date minus the current one, not an
// elapsed time.
// expect: none
export function remaining(expiresAt: Date, now: Date): number {
  return expiresAt.getTime() - now.getTime();
}

export function rearm(endTime: Date, run: (ms: number) => void): void {
  const now = new Date();
  run(endTime.getTime() - now.getTime());
}
