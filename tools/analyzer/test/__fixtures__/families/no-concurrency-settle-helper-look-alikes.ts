// Sets bounded by removing entries where the bound is reached or on a lifecycle event, through a
// local helper that is not a settle callback's: a capped registry and a set of open handles.
// expect: none
export function makeRegistry(max: number) {
  const seen = new Set<string>();
  function forget(key: string): void {
    seen.delete(key);
  }
  function remember(key: string): void {
    if (seen.size >= max) forget(seen.values().next().value as string);
    seen.add(key);
  }
  return { remember, forget };
}

export class Handles {
  private open = new Set<number>();
  private release(id: number): void {
    this.open.delete(id);
  }
  track(id: number, max: number, onClose: (cb: () => void) => void): boolean {
    if (this.open.size >= max) return false;
    this.open.add(id);
    onClose(() => this.release(id));
    return true;
  }
}
