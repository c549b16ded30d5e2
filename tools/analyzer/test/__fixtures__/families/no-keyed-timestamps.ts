// Near miss of timer-keyed-mark.ts: times kept per client by key and compared with a window to
// drop stale clients — an age check, not a measurement.
// expect: none
const lastSeen = new Map<string, number>();

export function touch(client: string): void {
  lastSeen.set(client, Date.now());
}

export function stale(client: string, windowMs: number): boolean {
  const seen = lastSeen.get(client);
  return seen === undefined || Date.now() - seen > windowMs;
}
