// A one-time transition guarded by a kept copy of a field: when the key changes, pending work is
// handed off and a constant put in its place; nothing derived from the key is kept.
// expect: none
interface Entity {
  deoptimize(): void;
}
const EMPTY: readonly Entity[] = [];

export class Member {
  private pending: readonly Entity[] = [];
  private seenKey: string | undefined;

  constructor(private readonly key: string) {}

  deoptimizeCache(): void {
    if (this.key === this.seenKey) return;
    const pending = this.pending;
    this.pending = EMPTY;
    this.seenKey = this.key;
    for (const entity of pending) entity.deoptimize();
  }
}
