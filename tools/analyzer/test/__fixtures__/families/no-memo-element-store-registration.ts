// Handlers registered once per id in one of several stores picked by kind: the value stored is
// the handler handed in, nothing is computed on a miss.
// expect: none
type Handler = (payload: unknown) => void;

export class Handlers {
  readonly #byKind = {
    message: new Map<string, Handler>(),
    error: new Map<string, Handler>(),
  };

  register(kind: "message" | "error", id: string, handler: Handler): Handler {
    const known = this.#byKind[kind].get(id);
    if (known) {
      return known;
    }
    this.#byKind[kind].set(id, handler);
    return handler;
  }
}
