// A memo in a private field whose values depend on the instance (its locale): each instance must
// keep its own.
export class Formatter {
  readonly #labels = new Map<number, string>();

  constructor(private readonly locale: string) {}

  label(n: number): string {
    const hit = this.#labels.get(n);
    if (hit !== undefined) return hit;
    const label = n.toLocaleString(this.locale);
    this.#labels.set(n, label);
    return label;
  }
}
