// Random values that are no delay: an id, a sample decision, an index into a list, a shuffle, a
// random integer in a range used as a port, a plain random number with nothing to spread, and a
// random moment in a window for a periodic job.
// expect: none
export function newId(): string {
  return Math.random().toString(36).slice(2);
}

export function sampled(rate: number): boolean {
  return Math.random() < rate;
}

export function any<T>(items: readonly T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function between(lo: number, hi: number): number {
  return Math.floor(Math.random() * (hi - lo + 1)) + lo;
}

export function port(): number {
  return between(20_000, 30_000);
}

export function noise(): number {
  return Math.random() * 1000;
}

function inWindow(minDelayMs: number, maxDelayMs: number): number {
  return minDelayMs + Math.random() * (maxDelayMs - minDelayMs);
}

export function everyNowAndThen(job: () => void): void {
  setTimeout(() => {
    job();
    everyNowAndThen(job);
  }, inWindow(60_000, 120_000));
}
