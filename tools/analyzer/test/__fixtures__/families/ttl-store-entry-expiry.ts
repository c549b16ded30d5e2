// A keyed store whose entries are put with a time handed in by the caller (not worked out from the
// clock here), and an entry got back from that store compared with the clock: dropped when past,
// handed out otherwise. The put is the write half, reported on its own line.
// expect: caching/ttl-cache 11-11 elim 1 "entry put into"
// expect: caching/ttl-cache 16-19 elim 4 "an entry got back is compared with the clock"
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
