// A lookup that falls back to registering the handler it was given: the fallback stores a value it
// was handed, nothing is computed on the miss.
// expect: none
export class Handlers {
  #handlers = new Map();

  use(type, fallback) {
    return this.#handlers.get(type) ?? this.#register(type, fallback);
  }

  #register(type, handler) {
    this.#handlers.set(type, handler);
    return handler;
  }
}
