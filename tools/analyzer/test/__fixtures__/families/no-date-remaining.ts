// The time left until a token expires: a deadline minus the current date, not an elapsed time.
// expect: none
export function remaining(expiresAt: Date, now: Date): number {
  return expiresAt.getTime() - now.getTime();
}
