// Retry delay policies built from small helpers: a jitter factor, a base spread by chance, a
// constant policy handing back a jittered delay, a back-off shifted by the attempt, and a spread
// with neutral names whose value a timer waits for.
// expect: response/retry-backoff 11-13 elim 3 "spreads the delay by a random amount"
// expect: response/retry-backoff 15-18 elim 4 "spreads the delay by a random amount"
// expect: response/retry-backoff 20-26 elim 7 "hands back the delay"
// expect: response/retry-backoff 28-31 elim 4 "exponential (`<<`)"
// expect: response/retry-backoff 33-35 elim 3 "spreads the delay by a random amount"
const CAP_MS = 8_000;

export function factor(spread: number): number {
  return 1 - spread + Math.random() * spread * 2;
}

function withJitter(base: number, share: number): number {
  const offset = base * share * (Math.random() * 2 - 1);
  return Math.max(0, Math.round(base + offset));
}

export function steady(options: { ms?: number; most?: number; share?: number } = {}) {
  const { ms = 500, most = 3, share = 0.1 } = options;
  return (tries: number): number | null => {
    if (tries > most) return null;
    return withJitter(Math.min(ms, CAP_MS), share);
  };
}

export function nextWait(previousAttempt: number): number {
  const exp = Math.min(CAP_MS, 250 << (previousAttempt - 1));
  return exp * factor(0.2);
}

function pick(base: number, spread: number): number {
  return base + Math.random() * spread;
}

export function later(run: () => void): void {
  const ms = pick(1_000, 500);
  setTimeout(run, ms);
}
