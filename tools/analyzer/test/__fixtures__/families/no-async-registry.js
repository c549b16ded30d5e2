// An asynchronous registry: a name not found is given the handler the caller passed, stored as
// given. Nothing is computed on the miss.
// expect: none
export class Routes {
  constructor(store, missing) {
    this.store = store;
    this.missing = missing;
  }

  get(name) {
    return this.store.read(name);
  }

  set(name, handler, options) {
    return this.store.write(name, handler, options);
  }

  use(name, handler, options) {
    return this.get(name).then((found) => {
      if (found !== this.missing) {
        return found;
      }
      return this.set(name, handler, options).then(() => handler);
    });
  }
}
