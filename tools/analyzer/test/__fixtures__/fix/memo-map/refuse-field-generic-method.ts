// A field memo filled by a generic method: its compute, moved to the field, would lose `T`.
interface Meta<T> {
  readonly name: string;
  readonly sample: T;
}
type Reader<T> = (row: unknown) => T;

export class Readers {
  readonly #readers = new Map<Meta<unknown>, Reader<unknown>>();

  constructor(private readonly strict: boolean) {}

  readerFor<T>(meta: Meta<T>): Reader<T> {
    const known = this.#readers.get(meta as Meta<unknown>);
    if (known !== undefined) return known as Reader<T>;
    const reader: Reader<T> = (row) => (this.strict && row === null ? meta.sample : (row as T));
    this.#readers.set(meta as Meta<unknown>, reader as Reader<unknown>);
    return reader;
  }
}
