// A memo in a private field whose compute makes a Map of its own (names for a generated
// function): that Map is the compute's, the field is the store.
interface Shape {
  readonly name: string;
  readonly fields: readonly string[];
}

export class Compiler {
  readonly #readers = new Map<Shape, (row: unknown[]) => Record<string, unknown>>();

  constructor(private readonly prefix: string) {}

  readerFor(shape: Shape): (row: unknown[]) => Record<string, unknown> {
    const known = this.#readers.get(shape);
    if (known !== undefined) return known;
    const columns = new Map<string, number>();
    shape.fields.forEach((field, i) => columns.set(`${this.prefix}${field}`, i));
    const reader = (row: unknown[]): Record<string, unknown> =>
      Object.fromEntries([...columns].map(([name, i]) => [name, row[i]]));
    this.#readers.set(shape, reader);
    return reader;
  }
}
