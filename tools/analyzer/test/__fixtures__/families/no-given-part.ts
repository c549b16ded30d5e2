// A field set from a part of what the caller passed: a setter behind a guard, nothing is loaded
// or computed on the miss.
// expect: none
interface Options {
  readonly version: string;
}

export class Dialect {
  #version: string | undefined;

  versionOf(options: Options): string {
    if (this.#version) {
      return this.#version;
    }
    this.#version = options.version;
    return this.#version;
  }
}
