// A saved snapshot is stamped when written; on restore its age is held in a local that the `if`
// acting on it reads (drop when old). A weight per endpoint keeps a `Date` read back with
// `getTime()` and is treated as absent once old.
// expect: caching/ttl-cache 20-20 elim 1 "stamp `savedAt` written from the clock with the entry it dates"
// expect: caching/ttl-cache 30-33 elim 4 "stamp `savedAt` written from the clock"
// expect: caching/ttl-cache 43-44 elim 2 "stamp `updated` written from the clock with the entry it dates"
// expect: caching/ttl-cache 49-51 elim 3 "stamp `updated` written from the clock"
interface Snapshot {
  savedAt: number;
  state: string;
}

interface Backend {
  read(): Promise<Snapshot | undefined>;
  write(s: Snapshot): Promise<void>;
  remove(): Promise<void>;
}

export async function save(backend: Backend, state: string): Promise<void> {
  await backend.write({ savedAt: Date.now(), state });
}

export async function restore(
  backend: Backend,
  maxAge: number,
  apply: (s: string) => void,
): Promise<void> {
  const snap = await backend.read();
  if (snap === undefined) return;
  const old = Date.now() - snap.savedAt > maxAge;
  if (old) {
    return backend.remove();
  }
  apply(snap.state);
}

interface Weight {
  updated: Date;
  value: number;
}

export function record(w: Weight, value: number): void {
  w.updated = new Date();
  w.value = value;
}

export function weightOf(w: Weight, expiry: number): number {
  const now = Date.now();
  if (now - w.updated.getTime() >= expiry) {
    return 0;
  }
  return w.value;
}
