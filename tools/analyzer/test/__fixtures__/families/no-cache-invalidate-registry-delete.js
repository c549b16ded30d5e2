// A registry no caching finding fills (entries put in by `register`, taken out by `unregister`):
// its delete stays silent.
// expect: none
export class HandlerTable {
  constructor() {
    this.handlers = new Map();
  }
  register(name, handler) {
    this.handlers.set(name, handler);
  }
  unregister(name) {
    this.client.log(`dropping ${name}`);
    this.handlers.delete(name);
  }
  dispatch(name, payload) {
    const handler = this.handlers.get(name);
    if (handler) handler(payload);
  }
}
