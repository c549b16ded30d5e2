// Per-key products of a factory call kept in a private map that is only ever looked up by key:
// compiled functions, not live objects. A factory's name does not make the store a registry.
// expect: caching/memoize 18-27 elim 6 "computed on a miss and kept"
interface Shape {
  readonly name: string;
  readonly fields: readonly string[];
}

type Getter = (row: Record<string, unknown>) => unknown[];

function createFunction(code: string): Getter {
  return new Function("row", code) as Getter;
}

export class Compiler {
  readonly #getters = new Map<Shape, Getter>();

  getterFor(shape: Shape): Getter {
    const exists = this.#getters.get(shape);
    if (exists) {
      return exists;
    }
    const lines = shape.fields.map((f) => `row[${JSON.stringify(f)}]`);
    const getter = createFunction(`return [${lines.join(", ")}];`);
    this.#getters.set(shape, getter);
    return getter;
  }
}
