// `this.x ??= worked out` and handed straight back: the one-statement spelling of a lazy memo.
// expect: caching/memoize 17-20 elim 2 "`this.serialized` returned when set, computed and stored otherwise"
interface Row {
  id: number;
  tenant: string;
}

function keyOf(row: Row): { serialize(): string } {
  return { serialize: () => `${row.tenant}:${String(row.id)}` };
}

export class Change {
  private serialized?: string;

  constructor(private readonly row: Row) {}

  serializedKey(): string {
    this.serialized ??= keyOf(this.row).serialize();
    return this.serialized;
  }
}
