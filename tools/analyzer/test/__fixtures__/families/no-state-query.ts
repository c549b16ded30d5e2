// Paths marked as changed once, and asked about by other methods: analysis state, not a cache.
// expect: none
export class Shape {
  private readonly widened = new Map<string, boolean>();

  widen(path: string, notify: (path: string) => void): void {
    if (!this.widened.get(path)) {
      this.widened.set(path, true);
      notify(path);
    }
  }

  isExact(path: string): boolean {
    return !this.widened.get(path);
  }
}
