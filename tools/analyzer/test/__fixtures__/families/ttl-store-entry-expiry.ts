// Keyed stores whose entries are put with a time handed in (not worked out from the clock here), and
// an entry got back from that store compared with the clock: dropped when past, handed out
// otherwise. The put (or the stamp and the write after it) is the write half, on its own lines.
// expect: caching/ttl-cache 13-13 elim 1 "entry put into"
// expect: caching/ttl-cache 18-21 elim 4 "an entry got back is compared with the clock"
// expect: caching/ttl-cache 42-45 elim 4 "an entry got back is compared with the clock"
// expect: caching/ttl-cache 49-50 elim 2 "entry put into"
export class MemoryStore<T> {
  private state = new Map<string, { value: T; expiresAt?: number }>();

  set(id: string, value: T, expiresAt?: number): void {
    // The time comes with the value.
    this.state.set(id, { value, expiresAt });
  }

  get(id: string): T | undefined {
    const entry = this.state.get(id);
    if (entry?.expiresAt !== undefined && Date.now() > entry.expiresAt) {
      this.state.delete(id);
      return undefined;
    }
    return entry?.value;
  }
}

// A storage adapter's wrapper: the record is stamped as a member, then written; on read an expired
// record is deleted and missed.
declare function expiryOf(ttl: number): number;
interface Adapter<V> {
  read(key: string): Promise<V | undefined>;
  write(key: string, value: V): Promise<void>;
  delete(key: string): Promise<void>;
}

export function expiring<V>(
  storage: Adapter<V & { e?: number }>,
  ttl: number,
): Adapter<V & { e?: number }> {
  return {
    read: async (k) => {
      const value = await storage.read(k);
      if (value?.e !== undefined && value.e < Date.now()) {
        await storage.delete(k);
        return undefined;
      }
      return value;
    },
    write: async (k, v) => {
      v.e = expiryOf(ttl);
      await storage.write(k, v);
    },
    delete: (k) => storage.delete(k),
  };
}
