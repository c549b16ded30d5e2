// A service locator: each service may be handed in through its setter; the getter makes a default
// one on first use when none was. The slot holds a dependency callers share, not a derived value.
// expect: none
interface Backend {
  read(key: string): string | undefined;
}

declare function backendFor(directory: string | undefined): Backend;

export class Services {
  #backend: Backend | undefined;

  constructor(private readonly options: { verbose: boolean; directory?: string }) {}

  getBackend(): Backend {
    if (!this.#backend) {
      if (this.options.verbose) console.debug("no backend set, making the default one");
      this.#backend = backendFor(this.options.directory);
    }
    return this.#backend;
  }

  setBackend(backend: Backend): void {
    if (this.#backend && this.#backend !== backend) throw new Error("a backend is already in use");
    this.#backend = backend;
  }
}
